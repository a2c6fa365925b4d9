// The kiosk returns to its start screen when left alone.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("kiosk-config").textContent);
  let timer = null;
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(function () { window.location.assign(config.home); }, config.idle_ms);
  }
  for (const name of ["pointerdown", "keydown", "touchstart"]) {
    document.addEventListener(name, reset, {passive: true});
  }
  if (window.location.pathname !== new URL(config.home, window.location.href).pathname) { reset(); }
})();
