// Notifications on every console page: the unread badge, the urgent banner and a sound.
// Stateless polling: the page remembers the newest id it has seen and asks for what is newer.
(function () {
  "use strict";
  var badge = document.querySelector("[data-notify-poll]");
  var banner = document.querySelector("[data-notify-banner]");
  if (!badge || !banner) return;
  var count = badge.querySelector("[data-notify-count]");
  var pollUrl = badge.dataset.notifyPoll;
  var readUrl = badge.dataset.notifyRead;
  var latest = parseInt(badge.dataset.notifyLatest || "0", 10);
  var every = parseInt(badge.dataset.notifyPollMs || "5000", 10);
  var csrf = "";
  try { csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { csrf = ""; }
  var audio = null;

  function beep() {
    // A short two-tone alarm made with WebAudio (no sound file, no autoplay of media).
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35].forEach(function (offset, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = i ? 660 : 880;
        gain.gain.value = 0.15;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(audio.currentTime + offset);
        osc.stop(audio.currentTime + offset + 0.3);
      });
    } catch (e) { /* no audio: the banner and the title still show */ }
    document.body.dataset.notifyBeeps = String(parseInt(document.body.dataset.notifyBeeps || "0", 10) + 1);
  }

  function setCount(n) {
    count.textContent = String(n);
    count.classList.toggle("d-none", !n);
  }

  function item(n) {
    var row = document.createElement("div");
    row.className = "alert alert-danger d-flex align-items-center gap-2 py-2 mb-2";
    row.dataset.notifyItem = String(n.id);
    var title = document.createElement("strong");
    title.textContent = n.title;
    var body = document.createElement("span");
    body.className = "flex-grow-1";
    body.textContent = n.body;
    row.appendChild(title);
    row.appendChild(body);
    if (n.url) {
      var open = document.createElement("a");
      open.className = "btn btn-sm btn-light";
      open.href = n.url;
      open.textContent = badge.dataset.msgOpen;
      row.appendChild(open);
    }
    var ack = document.createElement("button");
    ack.type = "button";
    ack.className = "btn btn-sm btn-outline-light";
    ack.dataset.notifyAck = String(n.id);
    ack.textContent = badge.dataset.msgAck;
    row.appendChild(ack);
    return row;
  }

  function render(urgent) {
    banner.replaceChildren.apply(banner, urgent.map(item));
    banner.classList.toggle("d-none", urgent.length === 0);
  }

  function poll() {
    fetch(pollUrl + "?after=" + latest, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        setCount(data.unread);
        render(data.urgent);
        if (data.urgent.some(function (n) { return n.fresh; })) beep();
        latest = Math.max(latest, data.latest);
        if (data.poll_ms) every = data.poll_ms;
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .finally(function () { window.setTimeout(poll, every); });
  }

  banner.addEventListener("click", function (event) {
    var button = event.target.closest("[data-notify-ack]");
    if (!button) return;
    var body = new URLSearchParams({ id: button.dataset.notifyAck });
    fetch(readUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      var row = button.closest("[data-notify-item]");
      if (row) row.remove();
      banner.classList.toggle("d-none", !banner.querySelector("[data-notify-item]"));
      setCount(data.unread);
    });
  });

  window.setTimeout(poll, 300);
})();
