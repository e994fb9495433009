"""Text normalisation: one canonical form that every offset in a result refers to.

PDF extraction leaves hard wraps, words split across lines, odd spaces and
NFD letters; e5 sees an NFD sentence as a different sentence, so we fold all
of it here, once, before anything else reads the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000\t"), " ")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BULLET = re.compile(r"^\s*([•·▪◦●○■\-–—*]|\d{1,2}[.)]|[a-zåäö][.)])\s")
_TERMINAL = re.compile(r"[.!?:;]$")
_TRAILING_WORD = re.compile(r"([A-Za-zÅÄÖåäöÉéÜü]+)-$")
_LEADING_WORD = re.compile(r"^([a-zåäöéü]+)")
_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "som", "till"}


def _default_is_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "sv") > 0


def clean_characters(text: str) -> str:
    """NFC, one kind of space, one kind of newline, no invisible characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\v", "\n")
    text = text.translate(_SPACES).translate(_DROP)
    return _CONTROL.sub("", text)


def _wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped text breaks at, or None when the text is not hard-wrapped."""
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 6:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 40 <= width <= 140:
        return None
    near = [line for line in lines if line and len(line) >= 0.8 * width and not _TERMINAL.search(line)]
    return width if len(near) >= 0.25 * len([line for line in lines if line]) else None


def _repair_hyphen(before_line: str, next_line: str, text: str, is_word: Callable[[str], bool]) -> str | None:
    """Join "genom-\\nförande" to "genomförande" but keep "Tech-\\nkluster" as "Tech-kluster"."""
    tail = _TRAILING_WORD.search(before_line)
    head = _LEADING_WORD.match(next_line)
    if not tail or not head:
        return None
    first, second = tail.group(1), head.group(1)
    stem = before_line[: tail.start(1)]
    if second in _CONJUNCTIONS:  # "miljö- och klimatperspektivet"
        return f"{before_line} {next_line}"
    lowered = text.lower()
    hyphenated, joined = f"{first}-{second}".lower(), f"{first}{second}".lower()
    if hyphenated in lowered.replace(f"{first}-\n{second}".lower(), ""):
        return f"{stem}{first}-{next_line}"
    if joined in lowered or (not first[0].isupper() and is_word(joined)):
        return f"{stem}{first}{next_line}"
    return f"{stem}{first}-{next_line}"


def normalise(text: str, *, is_word: Callable[[str], bool] | None = None,
              keep_line: Callable[[str], bool] | None = None) -> str:
    """Return the canonical text: clean characters, hard wraps joined, split words repaired.

    ``keep_line`` tells which lines are headings (never joined to a neighbour);
    ``is_word`` decides whether "genom" + "förande" is one Swedish word.
    """
    is_word = is_word or _default_is_word
    keep_line = keep_line or (lambda line: False)
    cleaned = clean_characters(text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in cleaned.split("\n")]
    width = _wrap_width(lines)
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        # A heading or bullet never continues the line before it; a lower-case line always does.
        joinable = previous and line and not _BULLET.match(line) and not keep_line(line)
        if joinable and previous.endswith("-") and (repaired := _repair_hyphen(previous, line, cleaned, is_word)):
            out[-1] = repaired
        elif joinable and not _TERMINAL.search(previous) and (
            line[0].islower() or line[0].isdigit() or line[0] in "(”\"'»"
            or (width is not None and len(previous) >= 0.8 * width and not keep_line(previous))
        ):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    joined = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", joined).strip()
