// The employee dashboard: live queue status, and a pop-up when a booked citizen
// of this counter (or of a queue it serves) checks in.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("dash-config").textContent);
  const popup = document.getElementById("popup");
  // Times as the page's language writes them, in the site's time zone.
  const clock = new Intl.DateTimeFormat(config.lang, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.tz});
  document.getElementById("popup-close").addEventListener("click", function () {
    popup.hidden = true;
  });
  function mine(c) {
    if (c.counter_id) { return c.counter_id === config.counter; }
    return config.queues.includes(c.queue_id);
  }
  function checkedIn(c) {
    if (!mine(c)) { return; }
    document.getElementById("popup-number").textContent = c.number;
    document.getElementById("popup-service").textContent = c.service;
    document.getElementById("popup-time").textContent = c.start ? clock.format(new Date(c.start)) : "";
    popup.hidden = false;
    document.getElementById("popup-close").focus();
  }
  let submitting = false;  // our own action is on its way: its answer shows the change
  document.addEventListener("submit", function () { submitting = true; });
  function status(s) {
    renderStatus(s);
    // Someone else changed this counter (a manager, another screen, the API): show it.
    const counter = s.counters.find(function (c) { return c.id === config.counter; });
    if (counter && (counter.ticket_id !== config.mine.ticket_id ||
                    counter.status !== config.mine.status) && popup.hidden && !submitting) {
      window.location.reload();
    }
  }
  // A phone meeting of this counter comes due: show it with the number to call.
  if (config.phone_next_in !== null && config.phone_next_in >= 0) {
    window.setTimeout(function () {
      if (popup.hidden && !submitting) { window.location.reload(); }
    }, Math.min(config.phone_next_in * 1000 + 500, 2147483000));
  }
  liveStream("/events/staff/" + encodeURIComponent(config.centre),
    {status: status, checked_in: checkedIn}, showLink);
})();
