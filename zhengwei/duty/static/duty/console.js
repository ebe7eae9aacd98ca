/* The duty console: short polling of changes/?cursor=N every second (204 = nothing new), rows
   replaced in place, a tone synthesised with the Web Audio API (no sound file) and a browser
   notification for every new report, a full refresh every minute in case a change was missed. */
(function () {
  "use strict";
  var root = document.getElementById("duty-console");
  if (!root) return;
  var changesUrl = root.dataset.changesUrl;
  var cursor = parseInt(root.dataset.cursor || "0", 10);
  var pollMs = parseInt(root.dataset.pollMs || "1000", 10);
  var FULL_EVERY_MS = 60000;
  var lastFull = Date.now();
  var known = new Set((root.dataset.known || "").split(",").filter(Boolean).map(Number));
  var pending = {}; // dom id -> html waiting until the officer stops typing in that row
  var audio = null;
  var live = root.querySelector("[data-testid=live]");
  var liveText = root.querySelector("[data-live-text]");
  var liveLabel = liveText ? liveText.textContent : "";
  // For people and tests: what the console did.
  var state = (window.zwDuty = { polls: 0, alerts: 0, beeps: 0, notifications: 0, applied: 0 });

  // --- sound and notifications -------------------------------------------------------------
  function ensureAudio() {
    if (audio) {
      if (audio.state === "suspended") audio.resume();
      return audio;
    }
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    try { audio = new Ctx(); } catch (e) { audio = null; }
    return audio;
  }

  function beep(p0) {
    var ctx = audio;
    if (!ctx) return;
    if (ctx.state === "suspended") ctx.resume();
    var tones = p0 ? [1245, 932, 1245, 932, 1245] : [880, 1318];
    var t = ctx.currentTime + 0.01;
    tones.forEach(function (freq) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = p0 ? "square" : "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(p0 ? 0.25 : 0.35, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.2);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.22);
      t += 0.25;
    });
    state.beeps += 1;
  }

  function notify(item) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    var title = (item.p0 ? root.dataset.msgP0 : root.dataset.msgNew) + " " + item.ticket;
    try {
      var n = new Notification(title, { body: item.title + "\n" + item.body, tag: "report-" + item.id, requireInteraction: !!item.p0 });
      n.onclick = function () {
        window.focus();
        var row = document.getElementById(item.dom_id);
        if (row) row.scrollIntoView({ block: "center" });
        n.close();
      };
      state.notifications += 1;
    } catch (e) { /* some browsers only allow notifications from a service worker */ }
  }

  var enable = root.querySelector("[data-enable-alerts]");
  function turnOn() {
    ensureAudio();
    try { localStorage.setItem("zw-duty-alerts", "1"); } catch (e) {}
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().then(showEnabled);
    }
    showEnabled();
  }
  function showEnabled() {
    if (!enable) return;
    var on = audio && ("Notification" in window ? Notification.permission === "granted" : true);
    enable.classList.toggle("btn-outline-primary", !on);
    enable.classList.toggle("btn-success", !!on);
  }
  if (enable) enable.addEventListener("click", function () { turnOn(); beep(false); });
  // Browsers start audio only after a gesture: once turned on, the next click anywhere will do.
  try {
    if (localStorage.getItem("zw-duty-alerts") === "1") {
      document.addEventListener("click", function once() { ensureAudio(); showEnabled(); document.removeEventListener("click", once); });
    }
  } catch (e) {}

  // --- applying changes --------------------------------------------------------------------
  function busy(el) {
    if (el.contains(document.activeElement)) return true;
    var fields = el.querySelectorAll("input[type=text], input:not([type]), textarea");
    for (var i = 0; i < fields.length; i++) if (fields[i].value) return true;
    return false;
  }

  function fromHtml(html) {
    var box = document.createElement("div");
    box.innerHTML = html.trim();
    return box.firstElementChild;
  }

  function place(listId, item, flash) {
    var list = document.getElementById(listId);
    if (!list) return;
    var old = document.getElementById(item.dom_id);
    if (item.remove) {
      if (old) old.remove();
      delete pending[item.dom_id];
      return;
    }
    if (old && busy(old)) { pending[item.dom_id] = { listId: listId, html: item.html }; return; }
    var el = fromHtml(item.html);
    if (!el) return;
    if (old) {
      // A report escalated one level up (督办) rises to the top of the list.
      var rose = parseInt(el.dataset.escalation || "0", 10) > parseInt(old.dataset.escalation || "0", 10);
      if (rose) {
        old.remove();
        list.insertBefore(el, list.firstElementChild);
        el.classList.add("duty-flash");
      } else {
        old.replaceWith(el);
      }
    } else {
      list.insertBefore(el, list.firstElementChild);
      if (flash) el.classList.add("duty-flash");
    }
    if (window.htmx) window.htmx.process(el);
    state.applied += 1;
  }

  function flushPending() {
    Object.keys(pending).forEach(function (id) {
      var old = document.getElementById(id);
      if (old && busy(old)) return;
      var p = pending[id];
      delete pending[id];
      place(p.listId, { dom_id: id, html: p.html }, false);
    });
  }

  function refreshEmpty(listId) {
    var list = document.getElementById(listId);
    if (!list) return;
    var empty = list.querySelector(".duty-empty");
    if (empty) empty.hidden = list.querySelectorAll("[id^=report-], [id^=conv-]").length > 0;
  }

  function apply(data) {
    if (data.full) {
      ["duty-reports", "duty-conversations"].forEach(function (listId) {
        var keep = new Set((listId === "duty-reports" ? data.reports : data.conversations).map(function (i) { return i.dom_id; }));
        var list = document.getElementById(listId);
        if (!list) return;
        list.querySelectorAll("[id^=report-], [id^=conv-]").forEach(function (el) {
          if (!keep.has(el.id) && !busy(el)) el.remove();
        });
      });
    }
    (data.reports || []).slice().reverse().forEach(function (item) {
      var isNew = !item.remove && !known.has(item.id);
      place("duty-reports", item, isNew);
      if (isNew) {
        known.add(item.id);
        if (item.alert) {
          state.alerts += 1;
          beep(item.p0);
          notify(item);
        }
      }
    });
    (data.conversations || []).slice().reverse().forEach(function (item) { place("duty-conversations", item, false); });
    if (data.alarms_html !== undefined) {
      var alarms = document.getElementById("duty-alarms");
      if (alarms && alarms.innerHTML.trim() !== data.alarms_html.trim()) alarms.innerHTML = data.alarms_html;
    }
    if (data.headline) {
      Object.keys(data.headline).forEach(function (key) {
        var el = root.querySelector("[data-kpi=" + key + "]");
        if (el && data.headline[key] !== null) el.textContent = data.headline[key];
      });
    }
    refreshEmpty("duty-reports");
    refreshEmpty("duty-conversations");
  }

  function setLive(ok, text) {
    if (!live) return;
    live.classList.toggle("offline", !ok);
    if (liveText) liveText.textContent = ok ? liveLabel : text;
  }

  function poll() {
    var full = Date.now() - lastFull > FULL_EVERY_MS;
    var url = changesUrl + "&cursor=" + cursor + (full ? "&full=1" : "");
    state.polls += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (resp) {
        if (resp.status === 204) { setLive(true); return null; }
        if (resp.redirected || resp.status === 401 || resp.status === 403) {
          setLive(false, root.dataset.msgSignedout);
          return null;
        }
        if (!resp.ok) throw new Error("HTTP " + resp.status);
        setLive(true);
        return resp.json();
      })
      .then(function (data) {
        if (!data) return;
        if (data.full) lastFull = Date.now();
        cursor = data.cursor;
        apply(data);
      })
      .catch(function () { setLive(false, root.dataset.msgOffline); })
      .then(function () {
        flushPending();
        window.setTimeout(poll, pollMs);
      });
  }

  // A row the officer acted on (htmx swap) is the newest truth; nothing else to do here.
  document.body.addEventListener("htmx:afterSwap", function () { refreshEmpty("duty-reports"); });
  window.setTimeout(poll, pollMs);
})();
