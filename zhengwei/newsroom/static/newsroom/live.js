// New live entries appear without reload: poll the feed with the last ETag (304 when unchanged).
(function () {
  "use strict";
  var main = document.querySelector("[data-live-feed]");
  if (!main) return;
  var etag = null;
  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(main.dataset.liveFeed, { headers: headers, cache: "no-cache" }).then(function (r) {
      if (r.status === 200) {
        etag = r.headers.get("ETag");
        return r.text().then(function (html) { main.innerHTML = html; });
      }
    }).catch(function () { /* offline for a moment: try again */ });
  }
  setInterval(poll, 10000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
