// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can
// forbid inline scripts and event handlers.
(function () {
  "use strict";

  function ready() {
    // The language switch takes effect as soon as a language is chosen.
    var select = document.getElementById("language-select");
    if (select && select.form) {
      select.addEventListener("change", function () { select.form.submit(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
