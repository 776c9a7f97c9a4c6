// A finance statement's lines (disclosure/_finance_grid.html), quick to type into. Without this file the
// grid is a plain form that works as it is. With it: Enter goes to the same cell of the next row (Shift+Enter
// the row above; Enter on the last row adds one), 删除 takes a row away at once (撤销 puts it back), 添加
// adds rows in place, the formset's TOTAL_FORMS follows every change, and the totals and the
// reconciliation 期初 + 收入 − 支出 = 期末 follow every keystroke. Money is counted in integer fen
// (BigInt), never in floating point. Every word shown is in the template, so it is translated there.
(function () {
  "use strict";
  if (typeof BigInt !== "function" || !("content" in document.createElement("template"))) return;

  var ZERO = BigInt(0);
  var HUNDRED = BigInt(100);
  var DIRECTION_KEYS = { "+": "income", "1": "income", "-": "expense", "2": "expense" };

  // "1234.5" → 123450 fen; null when empty; undefined when it is not an amount the server takes
  // (DecimalField(max_digits=14, decimal_places=2): at most two decimals and twelve whole digits).
  function fen(text) {
    var typed = (text || "").trim();
    if (!typed) return null;
    var parts = /^([+-]?)(\d*)(?:\.(\d{0,2}))?$/.exec(typed);
    if (!parts || !(parts[2] || parts[3])) return undefined;
    var whole = parts[2].replace(/^0+(?=\d)/, "");
    if (whole.length > 12) return undefined;
    var value = BigInt(whole || "0") * HUNDRED + BigInt(((parts[3] || "") + "00").slice(0, 2));
    return parts[1] === "-" ? -value : value;
  }

  // 12345678 fen → "123,456.78"
  function money(value) {
    var negative = value < ZERO;
    var digits = (negative ? -value : value).toString();
    while (digits.length < 3) digits = "0" + digits;
    var whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + whole + "." + digits.slice(-2);
  }

  // What a Chinese keyboard types into an amount, as the server reads it: full-width digits, 。 or ．
  // for the point, ¥ or 元 around it, 1,234.50 with separators. Left alone unless the result is an amount.
  function tidy(input) {
    var typed = ascii(input.value)
      .replace(/[\uFF0E\u3002]/g, ".")
      .replace(/\uFF0D/g, "-")
      .replace(/^\s*[¥\uFFE5]\s*|\s*元\s*$/g, "")
      .trim();
    if (/^[+-]?\d{1,3}([,\uFF0C]\d{3})+(\.\d*)?$/.test(typed)) typed = typed.replace(/[,\uFF0C]/g, "");
    if (typed !== input.value && fen(typed) !== undefined) input.value = typed;
  }

  function ascii(text) {
    return text.replace(/[\uFF10-\uFF19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); });
  }

  // A day as typed in a hurry (2026.7.3, 20260703, 7/3, 0703, 7月3日) as the server reads it: 2026-07-03,
  // the year of ``year`` when none is typed. Left alone unless it is a real day.
  function tidyDate(input, year) {
    var typed = ascii(input.value).trim().replace(/[年月]/g, "-").replace(/日$/, "");
    var parts = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(typed) || /^(\d{4})(\d{2})(\d{2})$/.exec(typed);
    var short = /^(\d{1,2})[-/.](\d{1,2})$/.exec(typed) || /^(\d{2})(\d{2})$/.exec(typed);
    if (!parts && short && year) parts = [typed, year, short[1], short[2]];
    if (!parts) return;
    var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    if (day.getUTCMonth() !== +parts[2] - 1 || day.getUTCDate() !== +parts[3]) return;
    var text = day.toISOString().slice(0, 10);
    if (text !== input.value) input.value = text;
  }

  function grid(section) {
    var prefix = section.getAttribute("data-prefix");
    var max = parseInt(section.getAttribute("data-max"), 10) || 500;
    var body = section.querySelector("[data-lines-body]");
    var template = section.querySelector("template[data-line-template]");
    var total = section.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var opening = document.getElementById(section.getAttribute("data-opening"));
    var closing = document.getElementById(section.getAttribute("data-closing"));
    var periodField = document.getElementById(section.getAttribute("data-period"));
    var totals = section.querySelector("[data-totals]");
    var form = section.closest("form");
    var removed = [];  // the rows taken away, the last one first back on 撤销
    var pending = false;
    var entered = { row: null, column: null };  // the row the cursor is in, and the cell it came in by
    if (!body || !template || !total || !totals || !form) return;
    // the error summary's links to cells of the grid, each with the input it leads to
    var summary = Array.prototype.slice.call(document.querySelectorAll("[data-error-summary] a[href^='#']"))
      .map(function (link) { return { link: link, target: document.getElementById(link.getAttribute("href").slice(1)) }; })
      .filter(function (entry) { return entry.target && body.contains(entry.target); });

    // A row taken away keeps its place and its inputs, hidden with 删除 ticked: the server leaves it out,
    // 撤销 brings it back, and no other row is renamed (renaming 1,500 inputs makes the browser restyle them all).
    function gone(row) {
      var box = row.querySelector(".line__delete-box");
      return Boolean(box && box.checked);
    }

    // The lines still there, in order.
    function rows() {
      return Array.prototype.slice.call(body.querySelectorAll("tr[data-line]")).filter(function (row) { return !gone(row); });
    }

    // The column a field is in ("amount"), or null outside the grid's columns (the signatures, 删除).
    function column(field) {
      var cell = field && field.closest ? field.closest("td[data-column]") : null;
      return cell && !field.closest("details") ? cell.getAttribute("data-column") : null;
    }

    function field(row, name) {
      return row.querySelector("td[data-column='" + name + "'] input, td[data-column='" + name + "'] select");
    }

    function focusCell(row, name) {
      var target = field(row, name) || field(row, "date");
      if (!target) return;
      target.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }

    // Each line's number as the page shows it, counted over the lines still there; the summary's links
    // say the same numbers, and a taken-away row's message is hidden (that row will not be saved).
    function renumber() {
      rows().forEach(function (row, index) {
        var number = row.querySelector("[data-line-number]");
        var text = String(index + 1);
        if (number && number.textContent !== text) number.textContent = text;
      });
      summary.forEach(function (entry) {
        var row = entry.target.closest("tr[data-line]");
        var item = entry.link.closest("li") || entry.link;
        item.hidden = !row || gone(row);
        if (!item.hidden) {
          var number = row.querySelector("[data-line-number]").textContent;
          entry.link.textContent = entry.link.textContent.replace(/\d+/, number);
        }
      });
    }

    function say(kind, number) {
      section.querySelectorAll("[data-status]").forEach(function (message) {
        message.hidden = message.getAttribute("data-status") !== kind;
      });
      if (number) section.querySelectorAll("[data-fill='removed']").forEach(function (n) { n.textContent = number; });
    }

    // ``count`` empty rows after the last, each named by the next index of the formset (TOTAL_FORMS follows).
    function add(count) {
      var made = [];
      while (made.length < count) {
        var index = parseInt(total.value, 10);
        if (index >= max) { say("full"); break; }
        var row = template.content.querySelector("tr[data-line]").cloneNode(true);
        [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (element) {
          ["name", "id", "for", "aria-labelledby", "aria-describedby"].forEach(function (attribute) {
            var value = element.getAttribute(attribute);
            if (value && value.indexOf("__prefix__") !== -1) element.setAttribute(attribute, value.split("__prefix__").join(String(index)));
          });
        });
        body.appendChild(row);
        total.value = index + 1;
        made.push(row);
      }
      renumber();
      recalc();
      return made;
    }

    function remove(row) {
      var list = rows();
      var index = list.indexOf(row);
      row.querySelector(".line__delete-box").checked = true;
      row.hidden = true;
      removed.push(row);
      renumber();
      recalc();
      say("removed", index + 1);
      var next = list[index + 1] || list[index - 1];
      var button = next ? next.querySelector("[data-remove-line]") : section.querySelector("[data-add-rows]");
      if (button) button.focus();
    }

    function undo() {
      var row = removed.pop();
      if (!row) return;
      row.querySelector(".line__delete-box").checked = false;
      row.hidden = false;
      renumber();
      recalc();
      say(null);
      focusCell(row, "date");
    }

    function fill(name, text) {
      section.querySelectorAll("[data-fill='" + name + "']").forEach(function (element) {
        if (element.textContent !== text) element.textContent = text;
      });
    }

    function show(attribute, wanted) {
      section.querySelectorAll("[" + attribute + "]").forEach(function (element) {
        var hide = element.getAttribute(attribute) !== wanted;
        if (element.hidden !== hide) element.hidden = hide;
      });
    }

    function note(name, numbers) {
      var element = section.querySelector("[data-note='" + name + "']");
      if (!element) return;
      fill(name, numbers.join("、"));
      element.hidden = numbers.length === 0;
    }

    // The totals of the lines as typed now, and whether they reconcile with the balances.
    function recalc() {
      var income = ZERO;
      var expense = ZERO;
      var unread = [];
      var undirected = [];
      rows().forEach(function (row, index) {
        var amountField = field(row, "amount");
        var amount = fen(amountField ? amountField.value : "");
        var doubtful = amount !== null && (amount === undefined || amount <= ZERO);
        amountField.parentNode.classList.toggle("line__cell--doubt", doubtful);
        if (amount === null) return;
        var direction = field(row, "direction").value;
        if (doubtful) unread.push(index + 1);
        else if (direction === "income") income += amount;
        else if (direction === "expense") expense += amount;
        else undirected.push(index + 1);
      });
      var start = opening ? fen(opening.value) : null;
      var end = closing ? fen(closing.value) : null;
      var expected = start === null || start === undefined ? null : start + income - expense;
      var missing = totals.getAttribute("data-missing");
      fill("income", money(income));
      fill("expense", money(expense));
      fill("expected", expected === null ? missing : money(expected));
      fill("closing", end === null || end === undefined ? missing : money(end));
      var verdict = expected === null ? "no-opening" : end === null || end === undefined ? "no-closing" : end === expected ? "balanced" : "off";
      if (verdict === "off") fill("difference", money(end - expected));
      show("data-verdict", verdict);
      show("data-explain", verdict);
      note("unread", unread);
      note("undirected", undirected);
      totals.classList.toggle("lines__totals--ok", verdict === "balanced");
      totals.classList.toggle("lines__totals--off", verdict === "off");
      if (closing) closing.classList.toggle("input--off", verdict === "off");
    }

    // The year a day typed without one belongs to: the line above's, else the statement's period's, else this year.
    function yearFor(row) {
      var list = rows();
      for (var index = list.indexOf(row) - 1; index >= 0; index -= 1) {
        var above = /^(\d{4})-\d{2}-\d{2}$/.exec(field(list[index], "date").value);
        if (above) return above[1];
      }
      var period = periodField ? /(?:19|20)\d{2}/.exec(ascii(periodField.value)) : null;
      return period ? period[0] : String(new Date().getFullYear());
    }

    function later() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; recalc(); });
    }

    section.addEventListener("keydown", function (event) {
      var target = event.target;
      if (!target.matches || !target.matches("input, select")) return;
      var name = column(target);
      if (name === "direction" && !event.ctrlKey && !event.metaKey && !event.altKey && DIRECTION_KEYS[event.key]) {
        event.preventDefault();
        target.value = DIRECTION_KEYS[event.key];
        target.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      if (event.key !== "Enter" || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();  // never the form's submission from inside the grid
      var row = target.closest("tr[data-line]");
      if (!name || !row) return;
      var list = rows();
      var next = list[list.indexOf(row) + (event.shiftKey ? -1 : 1)];
      if (!next && !event.shiftKey) next = add(1)[0];
      // as in a spreadsheet: a row typed across with Tab is left for the next row's first cell typed
      if (next) focusCell(next, entered.row === row && entered.column ? entered.column : name);
    });

    section.addEventListener("focusin", function (event) {
      var row = event.target.closest ? event.target.closest("tr[data-line]") : null;
      var name = column(event.target);
      if (row && name && row !== entered.row) entered = { row: row, column: name };
    });

    section.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !section.contains(button)) return;
      if (button.hasAttribute("data-remove-line")) {
        remove(button.closest("tr[data-line]"));
      } else if (button.hasAttribute("data-add-rows")) {
        event.preventDefault();
        var made = add(parseInt(button.getAttribute("data-add-rows"), 10) || 1);
        if (made.length) focusCell(made[0], "date");
      } else if (button.hasAttribute("data-undo")) {
        undo();
      }
    });

    form.addEventListener("input", later);
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target === opening || target === closing || column(target) === "amount") tidy(target);
      if (column(target) === "date") tidyDate(target, yearFor(target.closest("tr[data-line]")));
      later();
    });

    Array.prototype.slice.call(body.querySelectorAll("tr[data-line]")).forEach(function (row) {
      if (gone(row)) row.hidden = true;  // taken away before the page was last sent
    });
    renumber();
    section.classList.add("lines--js");
    section.querySelectorAll("[data-js-only]").forEach(function (element) { element.hidden = false; });
    totals.hidden = false;
    recalc();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-lines]").forEach(grid);
  });
})();
