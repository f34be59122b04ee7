"""The few styles reckon's output needs, served as ``assets/reckon/reckon.css``."""

from __future__ import annotations

STYLESHEET = b"""\
/* reckon: inline failures, and the note of what the build verified */
.md-typeset .reckon-error {
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
.md-typeset figure img { max-width: 100%; height: auto; }
"""
