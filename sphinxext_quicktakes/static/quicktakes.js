// sphinxext-quicktakes: hidden answers (quicktakes_answers = "hidden") are <details>
// elements, which open by click, keyboard and the browser's find-in-page without this
// script. It adds what <details> cannot do by itself: open when the address points at the
// question or into its answer, or when Sphinx's search found words in it, and open every
// answer for printing (and close them after).
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
    openAll(details);
  }

  function openAll(details) {  // and the hidden answers around it
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
  // Sphinx's search links to "page.html?highlight=words" (or leaves the words in
  // localStorage, which its highlighter clears once the page is parsed): a hidden answer
  // with one of the words shows itself (themes with a search box of their own, such as
  // pydata, do not mark the words, so the answers' text is searched here).
  var terms = new URLSearchParams(window.location.search).get("highlight") || "";
  try {
    terms = window.localStorage.getItem("sphinx_highlight_terms") || terms;
  } catch (error) {
    // no localStorage (a file: page in some browsers): only the address counts
  }
  terms = terms.toLowerCase().split(/\s+/).filter(function (term) { return term; });

  function fromSearch() {
    if (!terms.length) return;
    document.querySelectorAll(SELECTOR).forEach(function (details) {
      var text = details.textContent.toLowerCase();
      if (terms.some(function (term) { return text.indexOf(term) >= 0; })) openAll(details);
    });
  }

  window.addEventListener("hashchange", fromLocation);
  function ready() {
    fromSearch();
    fromLocation();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
