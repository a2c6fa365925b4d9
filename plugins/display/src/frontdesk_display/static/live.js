// A Server-Sent Events connection that never gives up: EventSource retries by
// itself after a dropped connection; when it stops (an error answer, a server
// that was away too long) we open a new one, waiting a little longer each time.
"use strict";
function liveStream(url, handlers, onState) {
  let delay = 1000;
  let source = null;
  function open() {
    source = new EventSource(url);
    source.onopen = function () { delay = 1000; onState("open"); };
    source.onerror = function () {
      onState("lost");
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 10000);
      }
    };
    for (const name of Object.keys(handlers)) {
      source.addEventListener(name, function (event) {
        handlers[name](JSON.parse(event.data));
      });
    }
    source.addEventListener("signed_out", function () {
      // The session ended (signed out here or elsewhere): the page goes to sign in.
      source.close();
      window.location.reload();
    });
    source.addEventListener("close", function () {
      source.close();
      onState("lost");
      setTimeout(open, 200);
    });
  }
  open();
  return function () { if (source) { source.close(); } };
}
function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") { node.textContent = value; } else { node.setAttribute(key, value); }
  }
  for (const child of children || []) { node.appendChild(child); }
  return node;
}
