"""Text normalisation: one canonical form that every offset in a result refers to.

PDF extraction leaves hard wraps, words split across lines, odd spaces and
NFD letters; e5 sees an NFD sentence as a different sentence, so we fold all
of it here, once, before anything else reads the text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable

from analysis.language import swedish
from analysis.marks import LIST_ITEM_START

# Character classes, not str.translate tables: translate walks a non-ASCII text character by character in
# Python's slow path, a regex class scans it in C and finds nothing in most texts.
_SPACES = re.compile("[\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000\t]")
_DROP = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TERMINAL = re.compile(r"[.!?:;]$")
_TRAILING_WORD = re.compile(r"([A-Za-zÅÄÖåäöÉéÜü]+)-$")
_LEADING_WORD = re.compile(r"^([a-zåäöéü]+)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")
_TAIL = 128  # no word we repair is longer


def _default_is_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "sv") > 0


def clean_characters(text: str) -> str:
    """NFC, one kind of space, one kind of newline, no invisible characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\v", "\n")
    text = _DROP.sub("", _SPACES.sub(" ", text))
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


class _Words:
    """Every word of the text once, sorted: "does a word start with X" in O(log n) instead of a scan per line."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._sorted: list[str] | None = None

    def has_prefix(self, prefix: str) -> bool:
        if self._sorted is None:  # built on the first line-break hyphen only
            self._sorted = sorted({word.lower() for word in _WORD.findall(self._text)})
        index = bisect.bisect_left(self._sorted, prefix)
        return index < len(self._sorted) and self._sorted[index].startswith(prefix)


def _hyphen_join(tail: str, next_line: str, words: _Words, is_word: Callable[[str], bool]) -> str | None:
    """How "genom-" at the end of a line meets the next line: " " (suspended compound), "-" (keep the
    hyphen, "Tech-kluster") or "" (join, "genomförande"); None when it is no line-break hyphen."""
    found = _TRAILING_WORD.search(tail)
    head = _LEADING_WORD.match(next_line)
    if not found or not head:
        return None
    first, second = found.group(1), head.group(1)
    if second in swedish().suspension_words:  # "miljö- och klimatperspektivet"
        return " "
    if words.has_prefix(f"{first}-{second}".lower()):
        return "-"
    if words.has_prefix(f"{first}{second}".lower()) or (not first[0].isupper() and is_word(f"{first}{second}".lower())):
        return ""
    return "-"


class _Line:
    """An output line built from input lines; joining appends a piece, so the work stays linear."""

    def __init__(self, first: str) -> None:
        self.pieces = [first]
        self.length = len(first)

    def tail(self) -> str:
        """The last characters, enough for the checks that look at the line's end."""
        last = self.pieces[-1]
        if len(last) >= _TAIL or len(self.pieces) == 1:
            return last[-_TAIL:]
        return "".join(self.pieces[-8:])[-_TAIL:]

    def add(self, glue: str, piece: str) -> None:
        self.pieces += [glue, piece]
        self.length += len(glue) + len(piece)

    def drop_last_char(self) -> None:
        self.pieces[-1] = self.pieces[-1][:-1]
        self.length -= 1

    def text(self) -> str:
        return "".join(self.pieces)


def normalise(text: str, *, is_word: Callable[[str], bool] | None = None,
              keep_line: Callable[[str], bool] | None = None) -> str:
    """Return the canonical text: clean characters, hard wraps joined, split words repaired.

    ``keep_line`` tells which lines are headings (never joined to a neighbour);
    ``is_word`` decides whether "genom" + "förande" is one Swedish word. Linear in the text's length.
    """
    is_word = is_word or _default_is_word
    keep_line = keep_line or (lambda line: False)
    cleaned = clean_characters(text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in cleaned.split("\n")]
    width = _wrap_width(lines)
    words = _Words(cleaned)
    out: list[_Line] = []
    for line in lines:
        previous = out[-1] if out else None
        # A heading or bullet never continues the line before it; a lower-case line always does.
        joinable = (previous is not None and previous.length and line and not LIST_ITEM_START.match(line)
                    and not keep_line(line))
        if previous is None or not joinable:  # (joinable already implies a previous line; this tells mypy)
            out.append(_Line(line))
            continue
        tail = previous.tail()
        if tail.endswith("-") and (glue := _hyphen_join(tail, line, words, is_word)) is not None:
            if glue == "":
                previous.drop_last_char()
            previous.add(" " if glue == " " else "", line)
        elif not _TERMINAL.search(tail) and (
            line[0].islower() or line[0] in "(”\"'»"
            or (line[0].isdigit() and not _kept(previous, keep_line))  # "Projekttid" / "36 månader …": a value
            or (width is not None and previous.length >= 0.8 * width and not _kept(previous, keep_line))
        ):
            previous.add(" ", line)
        else:
            out.append(_Line(line))
    joined = "\n".join(part.text() for part in out)
    return _BLANK_RUN.sub("\n\n", joined).strip()


def _kept(line: _Line, keep_line: Callable[[str], bool]) -> bool:
    """Only a line made of one input line can be a heading (a joined one is running text)."""
    return len(line.pieces) == 1 and keep_line(line.pieces[0])
