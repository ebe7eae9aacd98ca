/* The simulator's phone page: menu pop-ups, keyboard/menu switch, panels, keeping the thread
   scrolled to the newest message. Sending and polling are htmx (see the templates). */
(function () {
  "use strict";

  function thread() { return document.getElementById("thread"); }
  function scrollThread() { var t = thread(); if (t) { t.scrollTop = t.scrollHeight; } }
  function closePops(except) {
    document.querySelectorAll(".menu-pop").forEach(function (p) { if (p !== except) { p.hidden = true; } });
  }
  function closePanels() {
    document.querySelectorAll(".phone-panel").forEach(function (p) { p.hidden = true; });
  }
  function openPanel(id, key, event) {
    closePanels();
    closePops();
    var panel = document.getElementById(id);
    if (!panel) { return; }
    panel.hidden = false;
    var keyInput = panel.querySelector("input[name=menu_key]");
    if (keyInput) { keyInput.value = key || ""; }
    var eventInput = panel.querySelector("input[name=menu_event]");
    if (eventInput) { eventInput.value = event || ""; }
    var first = panel.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", scrollThread);
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "thread" || (e.detail.elt && e.detail.elt.id === "thread")) {
      scrollThread();
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (!e.detail.successful || !form || form.tagName !== "FORM") { return; }
    if (form.hasAttribute("data-reload")) { window.location.reload(); return; }
    if (form.hasAttribute("data-reset")) {
      form.reset();
      form.querySelectorAll(".custom-place").forEach(function (c) { c.hidden = true; });
      if (form.closest(".phone-panel")) { closePanels(); }
    }
    closePops();
  });

  document.addEventListener("change", function (e) {
    var select = e.target.closest("[data-place]");
    if (!select) { return; }
    var custom = select.form.querySelector(".custom-place");
    if (custom) { custom.hidden = select.value !== "custom"; }
  });

  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-toggle-bar]");
    if (el) {
      var menu = document.querySelector("[data-bar=menu]");
      var input = document.querySelector("[data-bar=input]");
      if (menu && input) {
        menu.hidden = !menu.hidden;
        input.hidden = !input.hidden;
        closePanels();
        closePops();
        if (!input.hidden) { var t = input.querySelector("input[name=text]"); if (t) { t.focus(); } }
      }
      return;
    }
    el = e.target.closest("[data-menu]");
    if (el) {
      var pop = document.getElementById(el.getAttribute("data-menu"));
      closePops(pop);
      closePanels();
      if (pop) { pop.hidden = !pop.hidden; }
      return;
    }
    el = e.target.closest("[data-panel]");
    if (el) {
      openPanel(el.getAttribute("data-panel"), el.getAttribute("data-key"), el.getAttribute("data-event"));
      return;
    }
    el = e.target.closest("[data-close]");
    if (el) { closePanels(); return; }
    el = e.target.closest("[data-open-url]");
    if (el) { window.open(el.getAttribute("data-open-url"), "_blank", "noopener"); }
    if (!e.target.closest(".menu-cell")) { closePops(); }
  });
})();
