// Participant mode: an answer that could not be saved (the connection dropped, the server
// failed) says so at its question, in the participant's language, and the question shows
// again the answer that is stored (the server marks it checked), not the lost choice.
(function () {
  "use strict";

  function itemOf(event) {
    var elt = event.detail.elt;
    return elt && elt.closest ? elt.closest(".participant-mode-item") : null;
  }

  // While an answer is on its way, the "Saved" of an earlier one is not shown beside it.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var item = itemOf(event);
    var status = item && item.querySelector(".participant-mode-status");
    if (status) { status.textContent = ""; }
  });

  function notSaved(event) {
    var item = itemOf(event);
    if (!item) { return; }
    item.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.checked = input.defaultChecked;
    });
    var status = item.querySelector(".participant-mode-status");
    if (!status) { return; }
    var message = document.createElement("span");
    message.className = "text-danger";
    message.textContent = document.body.dataset.answerNotSaved;
    status.replaceChildren(message);
  }
  document.addEventListener("htmx:responseError", notSaved);
  document.addEventListener("htmx:sendError", notSaved);

  // Answers chosen one after another faster than they are saved (the arrow keys move the
  // choice, and each move sends it): htmx sends the last one chosen when the one on its way
  // is answered. That answer does not replace the question then, which would put back the
  // choice it saved over the one chosen since, and would drop the one still to be sent
  // (htmx does not send for a form no longer on the page). The question is replaced by the
  // answer to the last one. (It is also made ready at once, "settle:0ms": htmx listens to
  // the new question only after settling, and a choice made before would not be sent.)
  document.addEventListener("htmx:beforeSwap", function (event) {
    var item = event.detail.target;
    if (!item || !item.classList.contains("participant-mode-item")) { return; }
    var chosen = item.querySelector("input[name=score]:checked");
    var sent = event.detail.requestConfig.formData.get("score");
    if (chosen && chosen.value !== sent) { event.detail.shouldSwap = false; }
  });

  // The question comes back whole with its "Saved" (the focus stays on the answer chosen:
  // it has the same id). A live region that arrives with its text is not reliably read out,
  // so the words go to #announcer, which was there all along.
  var answered = new WeakMap();
  document.addEventListener("htmx:beforeSwap", function (event) {
    var item = event.detail.target;
    if (item && item.classList.contains("participant-mode-item")) {
      answered.set(event.detail.xhr, item.id);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var id = answered.get(event.detail.xhr);
    if (!id) { return; }
    answered.delete(event.detail.xhr);
    var item = document.getElementById(id);
    var status = item && item.querySelector(".participant-mode-status");
    var announcer = document.getElementById("announcer");
    if (!status || !announcer) { return; }
    announcer.textContent = "";  // a second "Saved" is news too
    window.setTimeout(function () { announcer.textContent = status.textContent.trim(); }, 50);
  });
})();
