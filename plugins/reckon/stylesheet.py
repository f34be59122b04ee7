"""The styles reckon's output needs, on Material and on MkDocs' own themes, served as ``assets/reckon/reckon.css``.

Figures come as one SVG shown twice (``#only-light``, ``#only-dark``, see :mod:`reckon.figures`):
Material hides the inactive palette's copy itself; the rules here do it on every other theme (dark
only where MkDocs' own theme is in dark mode), and print the light copy alone. The print rules
leave out the site's navigation and buttons, and the source a reader left folded.
"""

from __future__ import annotations

STYLESHEET = b"""\
/* reckon: figures, inline failures, the note of what the build verified, print */
.md-typeset .reckon-error, .reckon-error {
  background-color: var(--md-accent-fg-color--transparent, rgba(255, 0, 0, .1));
  border-bottom: 2px solid #e53935;
  padding: 0 .15em;
  cursor: help;
}
.md-typeset .reckon-note {
  margin-top: 2em;
  padding-top: .6em;
  border-top: .05rem solid var(--md-default-fg-color--lightest, #ddd);
  color: var(--md-default-fg-color--light, #666);
  font-size: .7rem;
}
body:not([data-md-color-scheme]) .reckon-note {
  margin-top: 2em; padding-top: .6em; border-top: 1px solid #ddd; opacity: .75; font-size: .85em;
}

/* Read by a screen reader, not shown (the row-number column of an array's table). */
.reckon-visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}

/* Figures: as wide as the text at most, and a tap shows one full screen (reckon.js). */
img.reckon-figure { max-width: 100%; height: auto; cursor: zoom-in; }
img.reckon-figure:focus-visible, .reckon-lightbox__frame img:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
body:not([data-md-color-scheme]) figure:has(img.reckon-figure) { margin: 1em 0; text-align: center; }
@media screen {
  img.reckon-figure[src$="#only-dark"]:not([data-md-color-scheme="slate"] *):not([data-bs-theme="dark"] *),
  [data-md-color-scheme="slate"] img.reckon-figure[src$="#only-light"],
  [data-bs-theme="dark"] img.reckon-figure[src$="#only-light"] { display: none; }
}

/* Failures on themes other than Material (which has its own "failure" admonition). */
body:not([data-md-color-scheme]) .admonition.failure {
  color: var(--bs-danger-text-emphasis, inherit);
  background-color: var(--bs-danger-bg-subtle, #fdf3f2);
  border: 1px solid var(--bs-danger-border-subtle, #f29f97);
  border-left: 4px solid #e53935;
}
.rst-content .admonition.failure .admonition-title { background: #f29f97; }
body:not([data-md-color-scheme]) .admonition.failure pre { white-space: pre-wrap; }

/* A figure full screen: fit to the screen; a tap zooms in (scroll to move), a second tap fits again. */
dialog.reckon-lightbox {
  box-sizing: border-box; width: 100vw; height: 100vh; max-width: none; max-height: none;
  margin: 0; padding: 0; border: 0; overflow: hidden;
  color: var(--md-default-fg-color, var(--bs-body-color, #222));
  background: var(--md-default-bg-color, var(--bs-body-bg, #fff));
}
dialog.reckon-lightbox::backdrop { background: rgba(0, 0, 0, .6); }
.reckon-lightbox__frame { display: flex; width: 100%; height: 100%; overflow: auto; touch-action: pan-x pan-y pinch-zoom; }
.reckon-lightbox__frame img { display: block; margin: auto; width: 100%; height: 100%; object-fit: contain; cursor: zoom-in; }
.reckon-lightbox__frame img.reckon-zoomed { flex: none; width: 250%; height: auto; max-width: none; object-fit: fill; cursor: zoom-out; }
.reckon-lightbox__close {
  position: fixed; top: .5rem; right: .5rem; z-index: 1; width: 2.75rem; height: 2.75rem;
  font: inherit; font-size: 1.75rem; line-height: 1; cursor: pointer; border-radius: 50%;
  color: inherit; background: var(--md-default-bg-color, var(--bs-body-bg, #fff));
  border: 1px solid currentColor; opacity: .85;
}

@media print {
  img.reckon-figure[src$="#only-dark"] { display: none !important; }
  img.reckon-figure[src$="#only-light"] { display: revert !important; }
  img.reckon-figure { cursor: auto; break-inside: avoid; }
  figure:has(img.reckon-figure) { break-inside: avoid; }
  /* Source the reader left folded stays out of print (reckon.js marks it before the theme opens it). */
  details.reckon-source:not([open]), details.reckon-source[data-reckon-folded] { display: none !important; }
  dialog.reckon-lightbox { display: none !important; }
  /* The page alone: no navigation, search, buttons or footer, on Material and on MkDocs' own themes. */
  .md-header, .md-tabs, .md-sidebar, .md-footer, .md-top, .md-clipboard, .md-code__nav, .md-content__button, .md-source,
  .navbar, .col-md-3, .wy-nav-side, .wy-nav-top, .rst-versions, .rst-footer-buttons, .wy-breadcrumbs-aside,
  footer, .headerlink, .md-typeset .headerlink { display: none !important; }
  .wy-nav-content-wrap { margin-left: 0 !important; background: none !important; }
  .wy-nav-content { max-width: none !important; }
  .col-md-9 { width: 100% !important; flex: 0 0 100% !important; max-width: 100% !important; }
  .md-main__inner { margin-top: 0 !important; }
  .md-content { max-width: none !important; }
}
"""
