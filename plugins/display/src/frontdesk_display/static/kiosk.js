// The kiosk returns to its start screen when left alone; a walk left half-way
// is reported as timed out, so the tree's statistics show where people give up.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("kiosk-config").textContent);
  let timer = null;
  function leave() {
    if (!config.action) { window.location.assign(config.home); return; }
    const form = document.createElement("form");
    form.method = "post";
    form.action = config.action;
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "do";
    field.value = "timeout";
    form.appendChild(field);
    document.body.appendChild(form);
    form.submit();
  }
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(leave, config.idle_ms);
  }
  for (const name of ["pointerdown", "keydown", "touchstart"]) {
    document.addEventListener(name, reset, {passive: true});
  }
  if (window.location.pathname !== new URL(config.home, window.location.href).pathname) { reset(); }
})();
