// shipdate: progressive enhancement only; every page works without JavaScript.
(function () {
  "use strict";
})();
