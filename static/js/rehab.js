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
    // A page that comes back with a form refused (a report asked for, signing in) takes the
    // keyboard to the first field in error, or to the form's error message, instead of the
    // top of the page, from where a screen reader user would have to look for it; a page
    // that a form led to with a message (the figures being computed again) to the message.
    var main = document.getElementById("main");
    var news = main && (firstShown(main, "[aria-invalid=true]", false)
      || firstShown(main, "form .alert-danger", true)
      || firstShown(main, ".site-message", true));
    if (news) { moveFocus(news); }
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
  // The element whose request failed: only its own success (or its replacement) clears
  // the message, not a region elsewhere on the page that happened to finish loading later.
  var failed = null;
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    failed = event.detail.elt;
    showRequestProblem(xhr.status, xhr.getResponseHeader("X-Form-Expired") === "1");
  });
  document.addEventListener("htmx:sendError", function (event) {
    failed = event.detail.elt;
    showRequestProblem(0);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("request-problem");
    if (!box || !event.detail.successful) { return; }
    // The element that asked, not the one the event arrived on: a region swapped out
    // whole (outerHTML) is gone by now, and htmx then sends the event from an ancestor
    // (main), which contains everything and would clear any message.
    var elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    if (!failed || !failed.isConnected || elt === failed || elt.contains(failed)
        || failed.contains(elt)) {
      box.classList.add("d-none");
      failed = null;
    }
  });

  // A region reloaded because something else on the page was saved keeps what was typed
  // but not yet sent in its forms (a goal's review while another goal was reviewed), and
  // the fold it was typed in stays open. So does a region that comes back as the answer to
  // one of its own forms, for its other forms (a progress report being written when a
  // proposal is sent on the provider's page). A form's own answer replaces it on purpose.
  var typed = new WeakMap();

  function fieldChanged(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return field.value !== field.defaultValue;
  }

  function formKey(form) { return form.id || form.getAttribute("hx-post") || ""; }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.target;
    if (!region || !region.id) { return; }
    var sender = event.detail.requestConfig.elt;
    var sent = sender && sender.closest ? sender.closest("form") : null;
    var kept = [];
    region.querySelectorAll("form").forEach(function (form) {
      var key = formKey(form);
      if (!key || form === sent) { return; }
      form.querySelectorAll("input, textarea, select").forEach(function (field) {
        if (!field.name || field.type === "hidden" || field.type === "submit"
            || field.type === "file" || !fieldChanged(field)) { return; }
        var fold = field.closest("details");
        kept.push({form: key, name: field.name, value: field.value, checked: field.checked,
                   choice: field.type === "checkbox" || field.type === "radio",
                   open: !!(fold && fold.open)});
      });
    });
    if (kept.length) { typed.set(event.detail.xhr, {region: region.id, fields: kept}); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var saved = typed.get(event.detail.xhr);
    if (!saved) { return; }
    typed.delete(event.detail.xhr);
    var region = document.getElementById(saved.region);
    if (!region) { return; }
    saved.fields.forEach(function (kept) {
      var form = Array.prototype.find.call(region.querySelectorAll("form"), function (f) {
        return formKey(f) === kept.form;
      });
      if (!form) { return; }
      var field = null;
      if (kept.choice) {
        form.querySelectorAll("input").forEach(function (input) {
          if (input.name === kept.name && input.value === kept.value) { field = input; }
        });
        if (field) { field.checked = kept.checked; }
      } else {
        field = form.elements.namedItem(kept.name);
        if (field && field.tagName) { field.value = kept.value; } else { field = null; }
      }
      if (!field) { return; }
      var fold = field.closest("details");
      if (fold && kept.open) { fold.open = true; }
    });
  });

  // Keyboard and screen-reader users. A region htmx replaces takes the focus with it when
  // the focus was inside (the button just pressed): the browser then puts it on <body>, and
  // a screen reader starts reading again from the top of the page. It goes instead to what
  // the answer is about: the first field in error (its error is tied to it by
  // aria-describedby), or the element marked to take it, or the message that says what
  // happened, or back where it was (the nearest part with the same id), or the region's
  // heading. A message the focus does not go to is read out by #announcer: a live region
  // inserted together with its text is not reliably read, one that was already there is.
  // So is a message that had the focus and went with a region reloaded because of what it
  // reports (a goal's "Review saved." when the goals are reloaded after the review), and
  // the last state of a live region that asks every few seconds how a task is going (a
  // report being produced, an import): the region is replaced whole each time, so its own
  // aria-live is not heard; only the end (ready, failed) is read, not every step.
  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) { return; }
    region.textContent = "";  // the same words again (a second "Saved") are news too
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // A server's answer that changes something away from the focus says so (HX-Trigger
  // {"announce": "..."}): the employer picker's matches while the search field is typed in.
  document.addEventListener("announce", function (event) {
    announce(event.detail && event.detail.value);
  });

  function shown(element) { return element.getClientRects().length > 0; }

  function polls(element) {
    return element.hasAttribute("aria-live")
      && /\bevery\b/.test(element.getAttribute("hx-trigger") || "");
  }

  function textOf(element) { return element.textContent.replace(/\s+/g, " ").trim(); }

  function firstShown(region, selector, needsText) {
    var found = region.matches(selector) ? [region] : [];
    found = found.concat(Array.prototype.slice.call(region.querySelectorAll(selector)));
    return found.find(function (element) {
      return shown(element) && (!needsText || textOf(element));
    }) || null;
  }

  var FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), "
    + "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]";

  function moveFocus(element) {
    if (!element.matches(FOCUSABLE)) { element.setAttribute("tabindex", "-1"); }
    element.focus();
    return document.activeElement === element;
  }

  var swaps = new WeakMap();

  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.target;
    if (!region) { return; }
    var active = document.activeElement;
    var inside = !!active && active !== document.body && region.contains(active);
    var anchor = inside && active.parentElement ? active.parentElement.closest("[id]") : null;
    var wasMessage = inside && active.matches("[role=alert], [role=status]");
    var sender = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    swaps.set(event.detail.xhr, {
      region: region.id || region,
      focusWasInside: inside,
      anchor: anchor && anchor !== region && region.contains(anchor) ? anchor.id : null,
      message: wasMessage ? textOf(active) : "",
      polled: polls(region),
      sentByForm: !!sender && !!sender.closest && !!sender.closest("form"),
    });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var swap = swaps.get(event.detail.xhr);
    if (!swap) { return; }
    swaps.delete(event.detail.xhr);
    var region = typeof swap.region === "string" ? document.getElementById(swap.region)
      : swap.region;
    if (!region || !region.isConnected) { return; }
    if (swap.polled && !polls(region)) {
      announce(textOf(region));
      return;
    }
    var active = document.activeElement;
    var lost = !active || active === document.body;
    var invalid = firstShown(region, "[aria-invalid=true]", false);
    var message = firstShown(region, "[role=alert], [role=status], [data-announce]", true);
    if (swap.focusWasInside && invalid) {
      invalid.focus();
      return;  // the field's description reads its error
    }
    if (swap.focusWasInside && lost) {
      // Back where it was only if that is still shown: a form saved closes its fold.
      var anchor = swap.anchor ? document.getElementById(swap.anchor) : null;
      if (anchor && !(region.contains(anchor) && shown(anchor))) { anchor = null; }
      var target = [
        firstShown(region, "[data-focus-after-swap]", false), message,
        anchor && (firstShown(anchor, FOCUSABLE, false) || anchor),
        firstShown(region, "h1, h2, h3, h4, h5, h6", false), region,
      ].find(function (candidate) { return candidate && moveFocus(candidate); });
      if (target === message) { return; }
      if (swap.message && !message) {
        announce(swap.message);
        return;
      }
    }
    if (swap.sentByForm && message && message !== document.activeElement) {
      announce(textOf(message));
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
