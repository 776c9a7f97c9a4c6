// Small behaviours every page may use, kept out of the HTML so the Content-Security-Policy can forbid
// inline script: data-autosubmit (a filter that applies itself), data-print, data-back, and the error
// summary (data-error-summary): focused when the page loads, so a screen reader reads it first and the
// keyboard starts there; each of its links puts the cursor in the field it names.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () { if (field.form) field.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var details = field.closest("details");
      if (details) details.open = true;
      var holder = field.closest("fieldset, p, .field") || field;
      holder.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
});
