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
      // a cell of a grid is shown in the middle of its rows, clear of the grid's sticky heading
      var holder = field.closest("td, fieldset, p, .field") || field;
      holder.scrollIntoView(holder.tagName === "TD" ? { block: "center" } : undefined);
      field.focus({ preventScroll: true });
    });
  }
});

// data-uploader: a file form that takes several files dropped on its box, and shows the upload's
// progress. Without script the same form posts as a plain multipart form.
function gongkaiUploaders(root) {
  root.querySelectorAll("form[data-uploader]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-dropzone]");
    var bar = form.querySelector("progress");
    var status = form.querySelector("[role=status]");
    if (!input || !window.FormData || !window.XMLHttpRequest) return;
    if (zone) {
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dropzone--over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dropzone--over"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          if (status) status.textContent = "已选择 " + input.files.length + " 个文件,点“上传附件”开始上传。";
        }
      });
    }
    input.addEventListener("change", function () {
      if (status && input.files.length) status.textContent = "已选择 " + input.files.length + " 个文件。";
    });
    form.addEventListener("submit", function (event) {
      if (!input.files.length) return;  // the server says what to do
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      if (bar) { bar.hidden = false; bar.value = 0; }
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable && bar) bar.value = Math.round((e.loaded / e.total) * 100);
        if (status) status.textContent = "正在上传… " + (e.lengthComputable ? Math.round((e.loaded / e.total) * 100) + "%" : "");
      });
      xhr.addEventListener("load", function () {
        // the answer is the disclosure's page with its message: show it as if the form had posted
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var main = page.querySelector("main");
        var here = document.querySelector("main");
        if (main && here) {
          here.innerHTML = main.innerHTML;
          if (xhr.responseURL) window.history.replaceState(null, "", xhr.responseURL);
          gongkaiUploaders(here);
          var files = here.querySelector("#files");
          if (files) files.scrollIntoView();
        } else {
          window.location.reload();
        }
      });
      xhr.addEventListener("error", function () {
        if (status) status.textContent = "上传失败:网络中断。请检查网络后重新上传。";
        if (bar) bar.hidden = true;
      });
      xhr.send(new FormData(form));
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { gongkaiUploaders(document); });
