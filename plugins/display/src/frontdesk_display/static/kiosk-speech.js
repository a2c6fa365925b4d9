// The talking kiosk: a speech mode started with "+" (announced on the start page)
// reads every step aloud, the question and then each option with its number, and
// is worked from a numeric keypad: 1-9 choose, 0 repeats, "-" goes back, "*" turns
// large text and high contrast on or off. The sound comes from the server
// (/speech/say). Before the kiosk starts again by itself it warns on screen and
// aloud and offers more time. What was said is kept in window.frontdeskSaid.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("kiosk-speech-config").textContent);
  const kiosk = JSON.parse(document.getElementById("kiosk-config").textContent);
  const said = window.frontdeskSaid = [];
  const SPEECH = "frontdesk.kiosk.speech";
  const LARGE = "frontdesk.kiosk.large";
  const atHome = window.location.pathname === new URL(kiosk.home, window.location.href).pathname;
  const language = document.documentElement.lang || config.language;
  const words = config.phrases[language] || config.phrases[config.language];
  const speechButton = document.getElementById("speech-toggle");
  const largeButton = document.getElementById("large-toggle");
  const warning = document.getElementById("idle-warning");
  let generation = 0;
  let shelf = 0;  // with more than nine choices, 9 moves on to the next eight
  let playing = null;

  function stored(key) { try { return window.sessionStorage.getItem(key) === "1"; } catch (e) { return false; } }
  function store(key, on) {
    try { if (on) { window.sessionStorage.setItem(key, "1"); } else { window.sessionStorage.removeItem(key); } }
    catch (e) { /* storage off: the mode lasts this page */ }
  }
  // A new citizen starts with the kiosk as it is set up: the start page forgets the modes.
  if (atHome) { store(SPEECH, false); store(LARGE, false); }
  let speaking = stored(SPEECH);
  let large = stored(LARGE);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }
  function text(node) { return (node.textContent || "").replace(/\s+/g, " ").trim(); }
  // A button's label and its help line (a block of its own) are said as two sentences.
  function label(node) {
    return (node.innerText || node.textContent || "").trim().split(/\s*\n+\s*/).join(". ").replace(/\s+/g, " ");
  }

  // -- what the page says, and what the number keys do --------------------------------
  function choices() {
    const wrap = document.querySelector(".kiosk-wrap");
    if (!wrap) { return []; }
    const boxes = Array.from(wrap.querySelectorAll("input[type=checkbox][name=have]"));
    if (boxes.length) {
      return boxes.map(function (box) { return {node: box, label: label(box.closest("label")), toggle: true}; })
        .concat([{node: document.getElementById("continue"), label: text(document.getElementById("continue"))}]);
    }
    const buttons = Array.from(wrap.querySelectorAll(
      ".options button, .langs button, #check-in, #done"));
    return buttons.map(function (button) {
      return {node: button, label: label(button), lang: button.getAttribute("lang") || language};
    });
  }

  function lines() {
    const out = [];
    const wrap = document.querySelector(".kiosk-wrap");
    if (!wrap) { return out; }
    if (atHome) {
      for (const code of config.languages) { out.push({text: config.phrases[code].idle, lang: code}); }
    }
    const readable = wrap.querySelectorAll(
      "h1, h2, p, .bring li, legend:not(:has(h2)), label[for=code]");
    for (const node of readable) {
      if (node.closest(".options, .langs, .checklist label, .kiosk-nav, .access-keys")) { continue; }
      if (node.id === "ticket-number" && config.number) {
        out.push({text: fill(words.ticket, {number: config.number}), lang: language});
        continue;
      }
      const spoken = text(node);
      if (spoken) { out.push({text: spoken, lang: node.closest("[lang]") && node.closest("[lang]") !== document.documentElement ? node.closest("[lang]").getAttribute("lang") : language}); }
    }
    out.push(...offered());
    out.push({text: words.keys, lang: language});
    return out;
  }
  function keyed() {
    const all = choices();
    return all.length <= 9 ? all : all.slice(shelf * 8, shelf * 8 + 8);
  }
  function offered() {
    const out = keyed().map(function (choice, index) {
      const phrases = config.phrases[choice.lang || language] || words;
      return {text: fill(phrases.option, {key: index + 1, label: choice.label}), lang: choice.lang || language};
    });
    if (choices().length > 9) { out.push({text: words.more, lang: language}); }
    return out;
  }

  // -- speaking ------------------------------------------------------------------------
  function stop() {
    generation += 1;
    if (playing) { playing.pause(); playing = null; }
  }
  function sound(line) {
    const url = config.say + "?" + new URLSearchParams({lang: line.lang, text: line.text});
    return fetch(url).then(function (answer) {
      if (!answer.ok) { throw new Error(String(answer.status)); }
      return answer.blob();
    });
  }
  async function say(list) {
    stop();
    const mine = generation;
    const entries = list.map(function (line) {
      const entry = {text: line.text, lang: line.lang, state: "asked"};
      said.push(entry);
      return entry;
    });
    document.body.dataset.said = String(said.length);
    // Every sentence is asked for at once; they are played in order as they come.
    const fetched = list.map(function (line, index) {
      return sound(line).then(function (blob) { entries[index].sound = blob.size; return blob; })
        .catch(function () { return null; });
    });
    for (const [index, entry] of entries.entries()) {
      const blob = await fetched[index];
      if (mine !== generation) { entry.state = "cut"; continue; }
      if (!blob) { entry.state = "failed"; continue; }
      entry.state = "heard";
      const url = URL.createObjectURL(blob);
      await new Promise(function (resolve) {
        const audio = new Audio(url);
        playing = audio;
        audio.onended = resolve;
        audio.onerror = resolve;
        audio.onpause = resolve;
        audio.play().catch(resolve);
      });
      URL.revokeObjectURL(url);
    }
  }

  // -- modes -----------------------------------------------------------------------------
  function show() {
    document.documentElement.classList.toggle("kiosk-large", large);
    document.documentElement.classList.toggle("kiosk-speaking", speaking);
    speechButton.setAttribute("aria-pressed", String(speaking));
    largeButton.setAttribute("aria-pressed", String(large));
    document.body.dataset.speech = speaking ? "on" : "off";
    document.body.dataset.large = large ? "on" : "off";
  }
  function toggleSpeech() {
    speaking = !speaking;
    store(SPEECH, speaking);
    show();
    if (speaking) { say([{text: words.on, lang: language}].concat(lines())); }
    else { stop(); say([{text: words.off, lang: language}]); }
  }
  function toggleLarge() {
    large = !large;
    store(LARGE, large);
    show();
    if (speaking) { say([{text: large ? words.large_on : words.large_off, lang: language}]); }
  }

  // -- the keypad ------------------------------------------------------------------------
  function typing(target) {
    return target instanceof HTMLInputElement && target.type !== "checkbox";
  }
  document.addEventListener("keydown", function (event) {
    hideWarning();
    // A key held down acts once (no key repeat), and no action needs two keys at once.
    if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) { return; }
    const key = event.key;
    if (key === "+") { event.preventDefault(); toggleSpeech(); return; }
    if (key === "*") { event.preventDefault(); toggleLarge(); return; }
    if (typing(event.target)) { return; }
    if (!speaking) {
      // On the start page any other key says how speech is started.
      if (atHome && /^[0-9]$/.test(key)) { say(config.languages.map(function (code) {
        return {text: config.phrases[code].idle, lang: code}; })); }
      return;
    }
    if (key === "0") { event.preventDefault(); say(lines()); return; }
    if (key === "-" || key === "Backspace") {
      const back = document.getElementById("back");
      if (back) { event.preventDefault(); stop(); back.click(); }
      return;
    }
    if (key === "9" && choices().length > 9) {
      event.preventDefault();
      shelf = (shelf + 1) * 8 < choices().length ? shelf + 1 : 0;
      say(offered());
      return;
    }
    if (!/^[1-9]$/.test(key)) { stop(); return; }  // any other key silences the kiosk
    const choice = keyed()[Number(key) - 1];
    if (!choice || !choice.node) { stop(); return; }
    event.preventDefault();
    if (choice.toggle) {
      choice.node.checked = !choice.node.checked;
      const sentence = choice.node.checked ? words.ticked : words.unticked;
      say([{text: fill(sentence, {label: choice.label}), lang: language}]);
    } else {
      stop();
      choice.node.click();
    }
  });
  speechButton.addEventListener("click", toggleSpeech);
  largeButton.addEventListener("click", toggleLarge);

  // -- the warning before the kiosk starts again ----------------------------------------
  const warnBefore = Math.min(15000, Math.floor(kiosk.idle_ms / 3));
  let warnTimer = null;
  function hideWarning() {
    if (!warning.hidden) {
      warning.hidden = true;
      if (speaking) { say([{text: words.more_time, lang: language}]); }
    }
    clearTimeout(warnTimer);
    if (!atHome) { warnTimer = setTimeout(warn, kiosk.idle_ms - warnBefore); }
  }
  function warn() {
    warning.hidden = false;
    document.body.dataset.warned = "yes";
    document.getElementById("more-time").focus();
    new Audio(config.chime).play().catch(function () {});
    if (speaking) {
      setTimeout(function () { if (!warning.hidden) { say([{text: words.warning, lang: language}]); } }, 1300);
    }
  }
  for (const name of ["pointerdown", "touchstart"]) {
    document.addEventListener(name, hideWarning, {passive: true});
  }

  document.querySelector(".access-keys").hidden = false;
  if (!config.speaks) { speechButton.hidden = true; }
  show();
  hideWarning();
  if (speaking) { say(lines()); }
})();
