/* Small behaviours wired by data attributes, so no template needs an inline event handler
   (the Content-Security-Policy forbids them: zhengwei/lib/headers.py).

   data-confirm="问题？"  on a button, link or form: asks before the click or submission goes on.
   data-autosubmit       on a select or input: submits its form when the value changes.
   An inline <script> that cannot be avoided carries nonce="{{ request.csp_nonce }}".
*/
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (!el || el.tagName === "FORM") return;
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var el = event.target.closest("[data-autosubmit]");
    if (!el || !el.form) return;
    if (typeof el.form.requestSubmit === "function") el.form.requestSubmit();
    else el.form.submit();
  });

})();
