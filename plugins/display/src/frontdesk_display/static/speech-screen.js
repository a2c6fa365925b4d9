// Spoken calls on the info screen: a chime, then the call in each of the screen's
// languages. The server sends a "speak" message when the sound is ready; the
// screen plays each call (keyed by the call event's seq) once, even when it
// hears of it again from another server or after reconnecting, and stays quiet
// in its quiet hours. Sounds are fetched ahead: the chime and the counters'
// phrases when the page opens, a ticket's number when it is issued ("prepare").
// What the screen said is kept in window.frontdeskSpoken.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("speech-config").textContent);
  const screen = JSON.parse(document.getElementById("screen-config").textContent);
  const storeKey = "frontdesk.spoken." + config.key;
  const spoken = window.frontdeskSpoken = [];
  const sounds = new Map();  // url -> Promise of an object URL, newest last
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
  function fetchSound(url) {
    if (!sounds.has(url)) {
      const made = fetch(url).then(function (answer) {
        if (!answer.ok) { throw new Error("sound " + url + ": " + answer.status); }
        return answer.blob();
      }).then(function (blob) { return URL.createObjectURL(blob); });
      made.catch(function () { sounds.delete(url); });
      sounds.set(url, made);
      if (sounds.size > 300) {  // keep the newest; the chime and counters come back if needed
        const oldest = sounds.keys().next().value;
        sounds.get(oldest).then(URL.revokeObjectURL, function () {});
        sounds.delete(oldest);
      }
    }
    return sounds.get(url);
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
  function pause(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  if (config.enabled) {
    for (const url of config.preload) { fetchSound(url).catch(function () {}); }
    document.addEventListener("frontdesk-prepare", function (event) {
      for (const url of event.detail.sounds) { fetchSound(url).catch(function () {}); }
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
    if (config.enabled && m.chime && quiet(m.at)) {
      entry.state = "quiet";
    } else if (config.enabled && m.chime) {
      try {
        const chime = await fetchSound(m.chime);
        const phrases = await Promise.all(parts.map(function (p) {
          return Promise.all(p.audio.map(fetchSound));
        }));
        entry.state = "ready";
        entry.readyAt = performance.now();
        entry.sounds = 1 + phrases.flat().length;
        queue = queue.then(async function () {
          await play(chime);
          for (const part of phrases) {
            for (const [index, phrase] of part.entries()) {
              if (index) { await pause(m.pause_ms); }
              await play(phrase);
            }
            await pause(2 * m.pause_ms);
          }
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
