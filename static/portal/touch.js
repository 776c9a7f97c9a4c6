/* Touch screen (触摸屏): left alone for `data-idle` seconds, it goes back to its home page, so the
   next resident finds the big buttons and not someone else's page. Ten seconds before, a bar says
   so; any touch, key or scroll starts the count again. A static file: no inline script. */
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.hasAttribute("data-touch")) return;
  var idle = Math.max(3, Number(body.getAttribute("data-idle")) || 90) * 1000;
  var home = body.getAttribute("data-home") || "/";
  var warning = document.querySelector("[data-idle-warning]");
  var WARN_BEFORE = Math.min(10000, idle / 3);
  var warnTimer = 0;
  var homeTimer = 0;

  function atHome() {
    return window.location.pathname === home && !window.location.search && window.scrollY === 0;
  }

  function goHome() {
    if (atHome()) { arm(); return; }
    window.location.assign(home);
  }

  function arm() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(homeTimer);
    if (warning) warning.hidden = true;
    warnTimer = window.setTimeout(function () {
      if (warning && !atHome()) warning.hidden = false;
    }, idle - WARN_BEFORE);
    homeTimer = window.setTimeout(goHome, idle);
  }

  ["pointerdown", "touchstart", "keydown", "wheel", "scroll"].forEach(function (name) {
    window.addEventListener(name, arm, { passive: true });
  });
  arm();
})();
