// Renders the live queue table of the dashboards from a "status" event.
"use strict";
// The page's words come from the #status-words element (the catalogs, server side).
const statusWords = JSON.parse((document.getElementById("status-words") || {}).textContent || "{}");
function minutesText(n) { return (statusWords.minutes || "%(minutes)s min").replace("%(minutes)s", String(n)); }
function renderStatus(status) {
  const body = document.getElementById("queue-status");
  if (!body) { return; }
  body.replaceChildren(...status.queues.map(function (q) {
    return el("tr", {"data-queue": q.queue_id}, [
      el("td", {text: q.name}), el("td", {class: "waiting", text: String(q.waiting)}),
      el("td", {text: q.forecast || (q.expected_wait_minutes === null ? "–" : minutesText(q.expected_wait_minutes))}),
      el("td", {text: q.open ? statusWords.open : statusWords.closed})]);
  }));
}
function showLink(state) {
  const link = document.getElementById("link");
  if (link) { link.dataset.state = state; link.textContent = state === "open" ? statusWords.live_open : statusWords.live_lost; }
}
