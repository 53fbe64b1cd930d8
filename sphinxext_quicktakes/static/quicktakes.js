// sphinxext-quicktakes: hidden answers (quicktakes_answers = "hidden") are <details>
// elements, which open by click, keyboard and the browser's find-in-page without this
// script. It adds what <details> cannot do by itself: open when the address points at the
// question or into its answer, and open every answer for printing (and close them after).
(function () {
  "use strict";
  var SELECTOR = "details.quicktake-answer";

  function openFor(hash) {
    if (!hash || hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    var details = target.closest(SELECTOR);
    if (!details && target.matches(".quicktake")) {
      details = target.querySelector(":scope > " + SELECTOR);
    }
    while (details) {
      details.open = true;
      details = details.parentElement && details.parentElement.closest(SELECTOR);
    }
  }

  function fromLocation() {
    openFor(window.location.hash);
  }

  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(SELECTOR + ":not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });
  window.addEventListener("hashchange", fromLocation);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromLocation);
  } else {
    fromLocation();
  }
})();
