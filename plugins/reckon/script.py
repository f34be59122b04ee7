"""The little script reckon's output needs, served as ``assets/reckon/reckon.js``.

- Tapping (or clicking) a figure opens it full screen in a modal ``<dialog>``; a tap on it zooms
  in around that point (scroll to move), another fits it again; Escape or the close button closes.
  It shows the copy the page shows (same file and palette), so it fetches nothing.
- From the keyboard: each figure is in the tab order as a button that opens that dialog (Enter or
  Space); in the dialog, Enter or Space on the figure zooms it around its centre, the arrow keys
  then scroll it, and Escape closes it and puts the focus back on the figure. The script marks the
  figures itself (a page without it keeps plain images), also those that instant navigation brings.
- Before printing, it notes which folded source blocks are closed (the print styles leave those
  out; Material opens every ``<details>`` for print) and prints in the light palette. It listens in
  the capture phase, which runs before the theme's own listener.

It delegates from ``document``, so it works with Material's instant navigation and on any theme.
"""

from __future__ import annotations

SCRIPT = b"""\
/* reckon: figures full screen on a tap; print folded source folded, in the light palette */
(function () {
  "use strict";
  var ZOOM = "reckon-zoomed";

  function open(figure) {
    var before = document.activeElement;
    var dialog = document.createElement("dialog");
    dialog.className = "reckon-lightbox";
    dialog.setAttribute("aria-label", figure.alt ? "Figure: " + figure.alt : "Figure");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "reckon-lightbox__close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\\u00d7";
    var frame = document.createElement("div");
    frame.className = "reckon-lightbox__frame";
    var image = document.createElement("img");
    image.src = figure.src;
    image.alt = figure.alt;
    image.tabIndex = 0;
    image.setAttribute("role", "button");
    image.setAttribute("aria-pressed", "false");
    image.setAttribute("aria-label", figure.alt ? "Zoom: " + figure.alt : "Zoom");
    frame.appendChild(image);
    dialog.appendChild(close);
    dialog.appendChild(frame);
    close.addEventListener("click", function () { dialog.close(); });
    image.addEventListener("click", function (event) { zoom(frame, image, event); });
    image.addEventListener("keydown", function (event) {
      if (!pressed(event)) return;
      event.preventDefault();
      var box = image.getBoundingClientRect();
      zoom(frame, image, { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 });
    });
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (before && before.isConnected && typeof before.focus === "function") before.focus({ preventScroll: true });
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    close.focus({ preventScroll: true });
  }

  function zoom(frame, image, event) {
    var box = image.getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width, y = (event.clientY - box.top) / box.height;
    var zoomed = image.classList.toggle(ZOOM);
    image.setAttribute("aria-pressed", zoomed ? "true" : "false");
    if (!zoomed) return;
    box = image.getBoundingClientRect();
    frame.scrollLeft = x * box.width - frame.clientWidth / 2;
    frame.scrollTop = y * box.height - frame.clientHeight / 2;
  }

  function opens(target) {  /* a figure the author linked goes where the link says */
    return target instanceof HTMLImageElement && target.classList.contains("reckon-figure") && !target.closest("a");
  }

  function pressed(event) {
    return (event.key === "Enter" || event.key === " ") && !event.altKey && !event.ctrlKey && !event.metaKey;
  }

  document.addEventListener("click", function (event) {
    if (!opens(event.target)) return;
    event.preventDefault();
    open(event.target);
  });
  document.addEventListener("keydown", function (event) {
    if (!opens(event.target) || !pressed(event)) return;
    event.preventDefault();
    open(event.target);
  });

  /* A button to the keyboard and to a screen reader, named by its alt text, that opens a dialog. */
  function mark(root) {
    var figures = root.matches && root.matches("img.reckon-figure") ? [root] : root.querySelectorAll("img.reckon-figure");
    for (var i = 0; i < figures.length; i++) {
      if (figures[i].hasAttribute("tabindex") || !opens(figures[i])) continue;
      figures[i].tabIndex = 0;
      figures[i].setAttribute("role", "button");
      figures[i].setAttribute("aria-haspopup", "dialog");
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { mark(document); });
  else mark(document);
  /* Only what was added is looked at: the page changes often (typesetting, search, live outputs). */
  new MutationObserver(function (records) {
    for (var r = 0; r < records.length; r++) {
      for (var n = 0; n < records[r].addedNodes.length; n++) {
        if (records[r].addedNodes[n].nodeType === 1) mark(records[r].addedNodes[n]);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  var printed = null;
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.reckon-source:not([open])").forEach(function (details) {
      details.setAttribute("data-reckon-folded", "");
    });
    var body = document.body, root = document.documentElement;
    printed = { scheme: body.getAttribute("data-md-color-scheme"), bs: root.getAttribute("data-bs-theme") };
    if (printed.scheme && printed.scheme !== "default") body.setAttribute("data-md-color-scheme", "default");
    if (printed.bs === "dark") root.setAttribute("data-bs-theme", "light");
  }, true);
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-reckon-folded]").forEach(function (details) {
      details.removeAttribute("data-reckon-folded");
    });
    if (printed === null) return;
    if (printed.scheme && printed.scheme !== "default") document.body.setAttribute("data-md-color-scheme", printed.scheme);
    if (printed.bs === "dark") document.documentElement.setAttribute("data-bs-theme", "dark");
    printed = null;
  }, true);
})();
"""
