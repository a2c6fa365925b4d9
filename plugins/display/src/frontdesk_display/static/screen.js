// The info screen: re-renders on every "state" event and flashes announced calls.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("screen-config").textContent);
  const called = document.getElementById("called");
  const queues = document.getElementById("queues");
  const info = document.getElementById("info");
  const link = document.getElementById("link");
  const banner = document.getElementById("announce");
  let hideTimer = null;

  function announce(number, counter) {
    document.getElementById("announce-number").textContent = number;
    document.getElementById("announce-counter").textContent = counter;
    banner.hidden = false;
    banner.classList.remove("flash");
    void banner.offsetWidth;  // restart the animation
    banner.classList.add("flash");
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { banner.hidden = true; }, config.announce_ms);
  }

  function render(state) {
    called.replaceChildren(...state.called.map(function (c) {
      return el("tr", {"data-number": c.number, class: c.current ? "current" : "earlier"}, [
        el("td", {class: "number", text: c.number}),
        el("td", {class: "counter-name", text: c.counter_name})]);
    }));
    queues.replaceChildren(...state.queues.filter(function (q) {
      return !config.only || config.only.includes(q.queue_id);
    }).map(function (q) {
      let wait = "–";
      if (!q.open) { wait = config.closed; }
      else if (q.forecast) { wait = q.forecast; }
      else if (q.expected_wait_minutes !== null) {
        wait = config.minutes.replace("%(minutes)s", String(q.expected_wait_minutes));
      }
      return el("tr", {"data-queue": q.queue_id, class: q.open ? "open" : "closed"}, [
        el("td", {text: q.name}), el("td", {class: "waiting", text: String(q.waiting)}),
        el("td", {text: wait})]);
    }));
    info.textContent = state.info;
    document.body.dataset.updated = state.at;
    offset = Date.parse(state.at) - Date.now();
    tick();
  }

  // The site's local time by the server's clock, whatever time zone (or time) the
  // screen's computer is set to: each state carries the server's time.
  const clockFormat = new Intl.DateTimeFormat(config.lang, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.tz});
  let offset = Date.parse(config.now) - Date.now();
  function tick() {
    document.getElementById("clock").textContent = clockFormat.format(new Date(Date.now() + offset));
  }
  tick();
  setInterval(tick, 10000);

  liveStream("/events/screen/" + encodeURIComponent(config.centre), {
    state: render,
    announce: function (a) { announce(a.number, a.counter_name); },
    speak: function (m) { document.dispatchEvent(new CustomEvent("frontdesk-speak", {detail: m})); },
    prepare: function (m) { document.dispatchEvent(new CustomEvent("frontdesk-prepare", {detail: m})); },
  }, function (state) { link.dataset.state = state; document.body.dataset.link = state; });
})();
