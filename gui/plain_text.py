"""Text from chains, APIs and files anyone can make, made safe to show: printable, literal, breakable.

Qt decides by itself that a tooltip is rich text when its first line holds something like a tag
(``Qt::mightBeRichText``), so a token named ``<img src=x>`` would be rendered as markup in a
tooltip even where every label is plain text. :func:`tip` escapes the text instead.
"""

from __future__ import annotations

import html
import re

BREAK_EVERY = 60  # a run of visible characters this long gets a break opportunity (a tooltip wraps)
_LONG_RUN = re.compile(rf"\S{{{BREAK_EVERY}}}")


def printable(text: str) -> str:
    """``text`` with control and format characters (newlines, bidi overrides) as spaces."""
    return "".join(c if c.isprintable() else " " for c in text)


def tip(text: str) -> str:
    """A tooltip that shows ``text`` literally, its lines kept and wrapped, whatever it holds (never markup)."""
    if not text:
        return ""
    lines = "\n".join(printable(line) for line in text.split("\n"))
    breakable = _LONG_RUN.sub(lambda m: m[0] + "\u200b", lines)  # zero-width space: a line may break there
    return "<p style='white-space:pre-wrap'>" + html.escape(breakable) + "</p>"
