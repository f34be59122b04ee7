/* The site's own small fixes to what Material renders, for readers with a keyboard or a screen
   reader. Runs on the first load and after each of Material's instant navigations (document$). */
(function () {
  "use strict";

  // Material's search overlay is a dialog without a name.
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) {
      var input = dialog.querySelector("input[aria-label]");
      dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
    }
  }

  // A table or an equation wider than the column scrolls sideways. A keyboard can scroll it only
  // if it takes focus, and a screen reader should hear what it is: each one that overflows gets
  // tabindex=0, the role of a region and a label; one that stops overflowing (a wider window)
  // loses them again.
  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset div.arithmatex, .md-typeset .highlight pre > code, .md-content article div, .md-typeset p:has(> img.reckon-figure)";

  function kind(element) {
    if (element.matches("code")) return "Wide code";
    if (element.querySelector("img.reckon-figure")) return "Wide figure";
    if (element.querySelector("table")) return "Wide table";
    if (element.matches(".arithmatex") || element.querySelector(".katex-display")) return "Wide equation";
    return "Wide content";
  }

  function markScrollers() {
    var elements = document.querySelectorAll(SCROLLERS);
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var style = getComputedStyle(element);
      var scrolls = /auto|scroll/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1;
      var marked = element.classList.contains("reader-scrolls");
      if (scrolls && !marked && !element.hasAttribute("tabindex")) {
        element.classList.add("reader-scrolls");
        element.setAttribute("tabindex", "0");
        element.setAttribute("role", "region");
      } else if (!scrolls && marked) {
        element.classList.remove("reader-scrolls");
        element.removeAttribute("tabindex");
        element.removeAttribute("role");
        element.removeAttribute("aria-label");
      }
    }
    nameScrollers();
  }

  // Regions are landmarks, and a screen reader lists them by name: two named alike could not be
  // told apart, so where a page has several of a kind each says which it is ("Wide code 2 of 3").
  function nameScrollers() {
    var regions = document.querySelectorAll(".reader-scrolls");
    var byKind = new Map();
    for (var i = 0; i < regions.length; i++) {
      var name = kind(regions[i]);
      if (!byKind.has(name)) byKind.set(name, []);
      byKind.get(name).push(regions[i]);
    }
    byKind.forEach(function (elements, name) {
      elements.forEach(function (element, index) {
        var which = elements.length > 1 ? " " + (index + 1) + " of " + elements.length : "";
        element.setAttribute("aria-label", name + which + ", scrolls sideways");
      });
    });
  }

  function fix() {
    nameSearchDialog();
    markScrollers();
  }

  var pending = 0;
  function later() {  // after layout, and after KaTeX has typeset (it widens equations)
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { setTimeout(fix, 0); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(later);
  } else {
    document.addEventListener("DOMContentLoaded", later);
  }
  window.addEventListener("load", later);
  window.addEventListener("resize", later);
  document.addEventListener("offline-katex:typeset", later);  // KaTeX widens the equations it typesets
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);
})();
