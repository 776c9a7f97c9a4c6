/* E-screen (电子屏): show one slide at a time, move on every `data-interval` seconds, and reload the
   page when what is on display changes (the server's fingerprint in state.json differs from the one
   this page was rendered with). A static file: the page carries no inline script. */
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.hasAttribute("data-screen")) return;
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var counter = document.querySelector("[data-count]");
  var interval = Math.max(2, Number(body.getAttribute("data-interval")) || 15) * 1000;
  var poll = Math.max(2, Number(body.getAttribute("data-poll")) || 45) * 1000;
  var fingerprint = body.getAttribute("data-fingerprint");
  var stateUrl = body.getAttribute("data-state-url");
  var current = Number(body.getAttribute("data-current")) || 0;
  var MIN_SCALE = 0.55;

  /* A slide whose content is taller than the stage is shrunk step by step until nothing is cut off. */
  function fit(slide) {
    slide.style.fontSize = "";
    var scale = 1;
    while (slide.scrollHeight > slide.clientHeight + 1 && scale > MIN_SCALE) {
      scale -= 0.05;
      slide.style.fontSize = scale + "em";
    }
  }

  function show(index) {
    current = index;
    slides.forEach(function (slide, n) { slide.hidden = n !== index; });
    fit(slides[index]);
    body.setAttribute("data-current", String(index));
    if (counter) counter.textContent = slides[index].getAttribute("data-label") || "";
  }

  function check() {
    fetch(stateUrl, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.fingerprint && state.fingerprint !== fingerprint) window.location.reload();
      })
      .catch(function () { /* offline for a moment: keep showing what we have */ });
  }

  if (!slides.length) return;
  show(current % slides.length);
  if (slides.length > 1) {
    window.setInterval(function () { show((current + 1) % slides.length); }, interval);
  }
  window.setInterval(check, poll);
  window.addEventListener("resize", function () { fit(slides[current]); });
})();
