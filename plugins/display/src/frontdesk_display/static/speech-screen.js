// Spoken calls on the info screen: a chime, then the call in each of the screen's
// languages. The server sends a "speak" message when the sound is ready; the
// screen plays each call (keyed by the call event's seq) once, even when it
// hears of it again from another server or after reconnecting, and stays quiet
// in its quiet hours. What it said is kept in window.frontdeskSpoken.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("speech-config").textContent);
  const screen = JSON.parse(document.getElementById("screen-config").textContent);
  const storeKey = "frontdesk.spoken." + config.key;
  const spoken = window.frontdeskSpoken = [];
  let played = load();
  let queue = Promise.resolve();

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey)) || []; } catch (e) { return []; }
  }
  function remember(seq) {
    played.push(seq);
    played = played.slice(-500);
    try { window.localStorage.setItem(storeKey, JSON.stringify(played)); } catch (e) { /* private mode */ }
  }
  function quiet(at) {
    return config.quiet_hours.some(function (range) {
      const [start, end] = range.split("-");
      return start <= at && at < end;
    });
  }
  async function fetchSound(url) {
    const answer = await fetch(url);
    if (!answer.ok) { throw new Error("sound " + url + ": " + answer.status); }
    return URL.createObjectURL(await answer.blob());
  }
  function play(url) {
    return new Promise(function (resolve) {
      const sound = new Audio(url);
      sound.volume = config.volume;
      sound.onended = resolve;
      sound.onerror = resolve;
      sound.play().catch(resolve);  // a browser that refuses autoplay: the call is still shown
    });
  }

  document.addEventListener("frontdesk-speak", async function (event) {
    const m = event.detail;
    if (played.includes(m.seq)) { return; }
    if (screen.only && !screen.only.includes(m.queue_id)) { return; }
    remember(m.seq);
    const parts = config.languages.map(function (language) {
      return m.parts.find(function (p) { return p.language === language; });
    }).filter(Boolean);
    const entry = {seq: m.seq, texts: parts.map(function (p) { return p.text; }), state: "shown"};
    spoken.push(entry);
    if (!config.enabled || !m.chime) {
      entry.state = "shown";
    } else if (quiet(m.at)) {
      entry.state = "quiet";
    } else {
      const urls = [m.chime].concat(parts.map(function (p) { return p.audio; })).filter(Boolean);
      try {
        const sounds = await Promise.all(urls.map(fetchSound));
        entry.state = "ready";
        entry.sounds = sounds.length;
        queue = queue.then(async function () {
          for (const sound of sounds) { await play(sound); URL.revokeObjectURL(sound); }
          entry.state = "played";
        });
      } catch (error) {
        entry.state = "failed";
      }
    }
    document.body.dataset.spoken = String(m.seq);
    document.body.dataset.spokenState = entry.state;
  });
})();
