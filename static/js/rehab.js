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

  // A region that could not be loaded or saved says so, instead of staying as it was.
  function showRequestProblem(status, expired) {
    var box = document.getElementById("request-problem");
    if (!box) { return; }
    var key = expired ? "requestExpired" : status === 403 ? "requestRefused"
      : status === 404 ? "requestMissing" : "requestFailed";
    box.textContent = document.body.dataset[key];
    box.classList.remove("d-none");
    box.scrollIntoView({block: "nearest"});
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    showRequestProblem(xhr.status, xhr.getResponseHeader("X-Form-Expired") === "1");
  });
  document.addEventListener("htmx:sendError", function () { showRequestProblem(0); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("request-problem");
    if (box && event.detail.successful) { box.classList.add("d-none"); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
