// The manager dashboard: live figures, queues, counters' status and new faults.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("dash-config").textContent);
  function status(s) {
    renderStatus(s);
    for (const [key, value] of Object.entries(s.kpis)) {
      const cell = document.querySelector('[data-kpi="' + key + '"]');
      if (cell) { cell.textContent = value === null ? "–" : String(value); }
    }
    for (const c of s.counters) {
      const row = document.querySelector('tr[data-counter="' + CSS.escape(c.id) + '"]');
      if (!row) { continue; }
      const cell = row.querySelector(".counter-status");
      cell.textContent = config.states[c.status] || c.status;
      cell.dataset.status = c.status;
      row.querySelector(".counter-employee").textContent = c.employee_ref || "–";
    }
    const list = document.getElementById("faults");
    const known = new Set(Array.from(list.querySelectorAll("li[data-fault]")).map(
      function (li) { return li.dataset.fault; }));
    for (const f of s.faults) {
      if (known.has(f.id)) { continue; }
      const none = list.querySelector("li.none");
      if (none) { none.remove(); }
      const form = el("form", {method: "post", class: "inline",
        action: "/manager/" + encodeURIComponent(config.centre) + "/faults/" +
          encodeURIComponent(f.id) + "/clear"}, [
        el("input", {type: "hidden", name: "csrf", value: config.csrf}),
        el("button", {type: "submit", text: config.dealt_with})]);
      const device = f.device.startsWith("printer:") ?
        config.printer_at.replace("%(kiosk)s", f.device.slice(8)) : f.device.toUpperCase();
      const parts = [el("strong", {text: device}),
        document.createTextNode(": " + (config.faults[f.kind] || f.kind) + " ")];
      if (f.detail) { parts.push(el("small", {class: "detail", lang: "en", text: "(" + f.detail + ")"})); }
      parts.push(document.createTextNode(" "), form);
      list.prepend(el("li", {"data-fault": f.id}, parts));
    }
  }
  liveStream("/events/staff/" + encodeURIComponent(config.centre), {status: status}, showLink);
})();
