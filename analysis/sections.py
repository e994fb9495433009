"""Sections: find heading lines and map them to canonical section ids from the lexicon.

Handles decisions (plain heading lines), applications, intake forms
("Beskriv projektets syfte:" and "Projektperiod: augusti 2025 – juni 2026")
and prose without headings (one section). A heading that names perspectives
("Konsekvenser för miljö-, barn- och jämställdhetsperspektiven") maps to the
section with ``role: perspectives`` and lists every perspective it names. Which
headings make a text a decision is corpus data too (``kinds`` in
policy_corpus/headings.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import Literal

from analysis.marks import LIST_LINE
from analysis.corpus.schema import DocumentKind, HeadingLexicon, PerspectiveSet, Position
from analysis.nlp import build_nlp, phrase_lemmas, term_keys
from analysis.nlp.keys import position_keys
from analysis.nlp.pipeline import EXPANDED, TOKENS

_NUMBERING = re.compile(r"^(\d+(\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+")
_INLINE_FIELD = re.compile(r"^(?P<label>[A-ZÅÄÖ][^:.!?]{1,60}?):\s+(?P<value>\S.*)$")
_ENDS_SENTENCE = re.compile(r"[.,;]$")
KNOWN_HEADING_MAX_WORDS = 7  # longer lines may be hard-wrapped prose that happens to hold a keyword
TITLE_MAX_WORDS = 25
HEADING_CACHE_SIZE = 8192
# How a section's heading was written: a heading line, a form field ("Syfte:" above its answer), an
# inline field ("Projektperiod: 2025–2026"), the title paragraph, or none (text before any heading).
SectionStyle = Literal["heading", "field", "inline-field", "title", "none"]
FIELD_STYLES: tuple[SectionStyle, ...] = ("field", "inline-field")


@dataclass(frozen=True)
class Section:
    """One section; offsets index the normalised text. ``start``/``end`` cover the body."""

    id: str | None
    heading: str | None
    start: int
    end: int
    heading_start: int | None = None
    perspectives: tuple[str, ...] = ()
    style: SectionStyle = "none"
    kinds: tuple[DocumentKind, ...] = ()  # the heading makes a text one of these kinds (corpus data)


@dataclass(frozen=True)
class HeadingMatch:
    id: str | None
    perspectives: tuple[str, ...] = ()
    whole_word: bool = False  # matched a whole word, not only a compound part ("Medfinansiering")
    kinds: tuple[DocumentKind, ...] = ()


@dataclass
class HeadingMapper:
    """Maps heading text to canonical ids using keys from the Swedish pipeline."""

    lexicon: HeadingLexicon
    perspectives: PerspectiveSet
    _cache: dict[str, HeadingMatch] = field(default_factory=dict)

    @cached_property
    def _keywords(self) -> list[_Phrases]:
        """Section keywords as whole words first, then as a compound's head, then as its modifier."""
        keywords = [(entry.id, phrase_lemmas(keyword)) for entry in self.lexicon.sections for keyword in entry.keywords]
        return [_Phrases(keywords, positions) for positions in (("word",), ("head",), ("modifier",))]

    @cached_property
    def _kinds(self) -> dict[str, tuple[DocumentKind, ...]]:
        return {entry.id: tuple(entry.kinds) for entry in self.lexicon.sections}

    @cached_property
    def _perspective_terms(self) -> _Phrases:
        terms = [(p.id, phrase_lemmas(term)) for p in self.perspectives.perspectives for term in p.heading_terms]
        return _Phrases(terms, ("word", "modifier"))

    def map(self, heading: str) -> HeadingMatch:
        cleaned = _NUMBERING.sub("", heading.strip()).rstrip(":?").strip()
        if cleaned not in self._cache:
            if len(self._cache) >= HEADING_CACHE_SIZE:  # every short line passes here: bound the memory
                self._cache.clear()
            self._cache[cleaned] = self._map(cleaned)
        return self._cache[cleaned]

    def _map(self, heading: str) -> HeadingMatch:
        doc = build_nlp()(heading)
        doc.user_data.pop(TOKENS, None)  # break the doc ↔ token cycle at once
        expanded = doc.user_data.get(EXPANDED, {})
        tokens = [t for t in doc if not t.is_space and not t.is_punct]
        lemmas = [t.lemma_ for t in tokens]
        keys = [term_keys(expanded.get(t.i, t.text)) for t in tokens]
        named = tuple(dict.fromkeys(self._perspective_terms.found(lemmas, keys)))
        if named:
            section_id = self.lexicon.perspective_section
            return HeadingMatch(section_id, named, whole_word=True, kinds=self._kinds[section_id])
        for keywords in self._keywords:
            if (found := next(keywords.found(lemmas, keys), None)) is not None:
                return HeadingMatch(found, whole_word=keywords.positions == ("word",), kinds=self._kinds[found])
        return HeadingMatch(None)

    def is_known_heading(self, line: str) -> bool:
        """A short line the lexicon recognises: ingest never joins such a line to its neighbours."""
        words = line.split()
        return 0 < len(words) <= KNOWN_HEADING_MAX_WORDS and not _ENDS_SENTENCE.search(line) \
            and line[:1].isupper() and self.map(line).id is not None


class _Phrases:
    """Phrases (each with an id) to find in a heading at the given positions, indexed by their last word.

    A phrase is found only where a token holds one of its last word's keys, or (as a whole word) that
    word as lemma: a heading's keys and lemmas pick out the few phrases worth checking.
    """

    def __init__(self, phrases: list[tuple[str, tuple[str, ...]]], positions: tuple[Position, ...]) -> None:
        self.phrases, self.positions = phrases, positions
        self._by_last: dict[str, list[int]] = {}
        for number, (_, phrase) in enumerate(phrases):
            if phrase:
                last = position_keys(phrase[-1], positions) + ([phrase[-1]] if "word" in positions else [])
                for key in last:
                    self._by_last.setdefault(key, []).append(number)

    def found(self, lemmas: list[str], keys: list[frozenset[str]]) -> Iterator[str]:
        """The ids of the phrases the heading contains, in the order the phrases were given."""
        numbers = {number for key in chain(lemmas, *keys) for number in self._by_last.get(key, ())}
        for number in sorted(numbers):
            phrase_id, phrase = self.phrases[number]
            if _contains(lemmas, keys, phrase, self.positions):
                yield phrase_id


def _contains(lemmas: list[str], keys: list[frozenset[str]], phrase: tuple[str, ...],
              positions: tuple[Position, ...]) -> bool:
    """Phrase lemmas found in order; the last word may also match a compound part."""
    if not phrase:
        return False
    n = len(phrase)
    if n > 1 and phrase[0] not in lemmas:
        return False  # a phrase starts at one of the lemmas: most keywords are ruled out here
    wanted = position_keys(phrase[-1], positions)
    whole = "word" in positions
    for start in range(len(lemmas) - n + 1):
        if all(lemmas[start + i] == phrase[i] for i in range(n - 1)):
            last = keys[start + n - 1]
            if any(key in last for key in wanted) or (whole and lemmas[start + n - 1] == phrase[-1]):
                return True
    return False


@dataclass(frozen=True)
class _Line:
    text: str
    start: int
    end: int


def _lines(text: str) -> list[_Line]:
    out, position = [], 0
    for raw in text.split("\n"):
        out.append(_Line(raw.strip(), position + (len(raw) - len(raw.lstrip())), position + len(raw.rstrip())))
        position += len(raw) + 1
    return out


@dataclass(frozen=True)
class _Heading:
    line: int
    text: str
    start: int
    body_start: int
    style: SectionStyle


def _next_line_has_text(lines: list[_Line], index: int) -> bool:
    return index + 1 < len(lines) and bool(lines[index + 1].text)


def _heading_at(index: int, lines: list[_Line], mapper: HeadingMapper, hints: set[str],
                previous: _Heading | None, last_text: int) -> _Heading | None:
    """Is line ``index`` a heading? Layout hints first, then form fields, then heading-shaped lines."""
    line = lines[index]
    if not line.text or LIST_LINE.match(line.text):
        return None
    after_field = previous is not None and previous.line == index - 1 and previous.style == "inline-field"
    opens_block = index == 0 or not lines[index - 1].text or after_field
    if line.text in hints:
        return _Heading(index, line.text, line.start, line.end, "heading")
    if (inline := _INLINE_FIELD.match(line.text)) and opens_block and len(inline["label"].split()) <= 6:
        return _Heading(index, inline["label"].strip(), line.start, line.start + inline.start("value"), "inline-field")
    words = line.text.split()
    has_more_text = index < last_text
    capitalised = line.text[:1].isupper() or bool(_NUMBERING.match(line.text))
    if not has_more_text or len(words) > mapper.lexicon.max_heading_words or not capitalised:
        return None
    if line.text.endswith((":", "?")) and _next_line_has_text(lines, index):  # "Beskriv projektets syfte:"
        return _Heading(index, line.text.rstrip(":").strip(), line.start, line.end, "field")
    known = mapper.map(line.text).id is not None
    short_with_body = len(words) <= 6 and _next_line_has_text(lines, index)
    if opens_block and not _ENDS_SENTENCE.search(line.text) and (known or short_with_body):
        return _Heading(index, line.text, line.start, line.end, "heading")
    return None


def segment(text: str, mapper: HeadingMapper, hints: set[str] | None = None) -> list[Section]:
    """Split the normalised text into sections; text with no headings is one section."""
    hints = hints or set()
    lines = _lines(text)
    title_end = _title_end(lines, mapper, hints)
    headings: list[_Heading] = []
    last_text = max((index for index, line in enumerate(lines) if line.text), default=-1)
    for index in range(title_end, len(lines)):
        if heading := _heading_at(index, lines, mapper, hints, headings[-1] if headings else None, last_text):
            headings.append(heading)
    sections: list[Section] = []
    body_from = 0
    if title_end:
        title_lines = [line for line in lines[:title_end] if line.text]
        sections.append(Section(mapper.lexicon.title.id, None, title_lines[0].start, title_lines[-1].end,
                                style="title"))
        body_from = title_lines[-1].end
    preamble = text[body_from : headings[0].start if headings else len(text)].strip()
    if preamble:
        start = text.index(preamble, body_from)
        sections.append(Section(None, None, start, start + len(preamble)))
    for number, heading in enumerate(headings):
        body_end = headings[number + 1].start if number + 1 < len(headings) else len(text)
        body = text[heading.body_start : body_end]
        body_start = heading.body_start + (len(body) - len(body.lstrip()))
        match = mapper.map(heading.text)
        sections.append(
            Section(
                match.id,
                heading.text,
                body_start,
                max(body_start, heading.body_start + len(body.rstrip())),
                heading.start,
                match.perspectives,
                heading.style,
                match.kinds,
            )
        )
    return sections


def _title_end(lines: list[_Line], mapper: HeadingMapper, hints: set[str]) -> int:
    """Index after the title paragraph, or 0 when the text opens with a real heading or prose."""
    first = next((i for i, line in enumerate(lines) if line.text), None)
    if first is None:
        return 0
    end = next((i for i in range(first, len(lines)) if not lines[i].text), len(lines))
    paragraph = " ".join(line.text for line in lines[first:end])
    opening = lines[first].text
    if end >= len(lines) or len(paragraph.split()) > TITLE_MAX_WORDS or _INLINE_FIELD.match(opening):
        return 0
    if paragraph.rstrip(".").count(".") or opening.endswith((":", "?")):
        return 0
    if end - first == 1:  # a line standing alone before a blank line opens the text: its title
        return end
    if mapper.map(opening).whole_word and (opening in hints or len(opening.split()) <= KNOWN_HEADING_MAX_WORDS):
        return 0  # a heading directly followed by its body
    return end


def document_kind(sections: list[Section]) -> DocumentKind:
    """A kind a heading makes the text (a decision's "Förslag till beslut"), else form / application /
    summary from the shape of the sections."""
    if marked := next((kind for s in sections for kind in s.kinds), None):
        return marked
    fields = sum(1 for s in sections if s.style in FIELD_STYLES)
    if fields >= 3 and fields > sum(1 for s in sections if s.style == "heading"):
        return "form"
    if sum(1 for s in sections if s.style == "heading") >= 2:
        return "application"
    return "summary"
