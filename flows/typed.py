"""What a person types, made safe to store and to show: one form of every character (NFKC), no control or
format characters (NUL, ESC, bidi overrides such as U+202E, zero-width spaces), and short answers on one line,
so typed text can never fake a line of a summary or turn text around on a screen."""

from __future__ import annotations

import re
import unicodedata

# Characters that end a line in some program; in a one-line answer each becomes a space.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(text: str, multiline: bool = False) -> str:
    """Normalise typed text; with `multiline`, plain line breaks stay (at most one blank line in a row)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if char in LINE_BREAKS:
            out.append("\n" if multiline and char in "\n\u2028\u2029" else " ")
        elif char == "\t":
            out.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(char)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str) -> str:
    """Normalise a name or a short answer: always a single line."""
    return clean(text, multiline=False)
