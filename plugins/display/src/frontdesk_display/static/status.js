// Renders the live queue table of the dashboards from a "status" event.
"use strict";
function renderStatus(status) {
  const body = document.getElementById("queue-status");
  if (!body) { return; }
  body.replaceChildren(...status.queues.map(function (q) {
    return el("tr", {"data-queue": q.queue_id}, [
      el("td", {text: q.name}), el("td", {class: "waiting", text: String(q.waiting)}),
      el("td", {text: q.forecast || (q.expected_wait_minutes === null ? "–" : q.expected_wait_minutes + " min")}),
      el("td", {text: q.open ? "yes" : "no"})]);
  }));
}
function showLink(state) {
  const link = document.getElementById("link");
  if (link) { link.dataset.state = state; link.textContent = state === "open" ? "connected" : "reconnecting"; }
}
