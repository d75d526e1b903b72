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
    // A button that prints the page (the participant's notes view).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
