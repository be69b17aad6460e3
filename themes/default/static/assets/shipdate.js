// shipdate: progressive enhancement only; every page works without JavaScript.
(function () {
  "use strict";

  // Subscribe links: with a relative base_url the page knows its own host.
  document.querySelectorAll("a.feed-webcal[data-feed]").forEach(function (a) {
    if (location.protocol !== "http:" && location.protocol !== "https:") return;
    var url = new URL(a.getAttribute("href"), location.href);
    a.href = "webcal://" + url.host + url.pathname;
    a.hidden = false;
  });

  // Calendar filters: keep the choice in the address bar so it can be shared.
  var form = document.querySelector("form.filters");
  if (!form) return;
  var params = new URLSearchParams(location.search);
  ["team", "kind"].forEach(function (name) {
    var wanted = params.get(name);
    if (wanted === null) return;
    var set = wanted.split(",");
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      box.checked = set.indexOf(box.value) !== -1;
    });
  });
  form.addEventListener("change", function () {
    var next = new URLSearchParams();
    ["team", "kind"].forEach(function (name) {
      var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]'));
      var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (on.length !== boxes.length) next.set(name, on.join(","));
    });
    var query = next.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
