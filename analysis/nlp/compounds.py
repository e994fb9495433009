"""Swedish compound splitting over wordfreq frequencies.

No ready splitter is good offline (STACK.md), so: dynamic programming over
known words, with the linking morphemes Swedish uses (-s-, dropped -a/-e),
preferring the fewest parts. Common words are treated as lexicalised
("företag" is not före + tag). Every answer is cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from analysis.nlp.lemmas import lemma

MIN_PART = 3
MAX_COMPOUND_CHARS = 60
KNOWN_ZIPF = 2.8
HEAD_ZIPF = 2.2
LEXICALISED_ZIPF = 4.6


@dataclass(frozen=True, slots=True)
class Compound:
    """A split word: ``parts`` are lemma-like stems; the last one is the head."""

    parts: tuple[str, ...]
    head_surface: str

    @property
    def head(self) -> str:
        return self.parts[-1]

    @property
    def modifiers(self) -> tuple[str, ...]:
        return self.parts[:-1]

    def modifier_keys(self) -> set[str]:
        """Every leading run of parts: kompetensförsörjningsinsats → kompetens, kompetensförsörjning."""
        return {"".join(self.parts[:end]) for end in range(1, len(self.parts))}

    def head_keys(self) -> set[str]:
        """Every trailing run of parts: … → insats, försörjningsinsats (joined without linking s)."""
        return {"".join(self.parts[start:]) for start in range(1, len(self.parts))} | {self.head_surface}


@lru_cache(maxsize=300_000)
def _known(word: str) -> bool:
    return len(word) >= MIN_PART and zipf_frequency(word, "sv") >= KNOWN_ZIPF


# Derivational endings are not heads: "jämställdhet" is not jämställd + heta.
_SUFFIXES = {"het", "heten", "heter", "ning", "ningen", "ningar", "skap", "skapet", "else", "dom", "domen",
             "ande", "ende", "lig", "liga", "ligt", "isk", "iska", "iskt", "are", "aren", "arna", "ens", "ion"}


def _modifier_forms(left: str) -> list[str]:
    """Stems a modifier may stand for, most frequent first: "arbets" → arbete, "skol" → skola."""
    forms = [left, left + "a", left + "e"]
    if left.endswith("s") and len(left) > MIN_PART:
        stem = left[:-1]
        forms += [stem, stem + "e", stem + "a"]
    known = [form for form in forms if _known(form)]
    return sorted(known, key=lambda form: -zipf_frequency(form, "sv"))


def _known_head(word: str) -> bool:
    return word not in _SUFFIXES and len(word) >= MIN_PART and (
        zipf_frequency(word, "sv") >= HEAD_ZIPF or zipf_frequency(lemma(word), "sv") >= HEAD_ZIPF)


Piece = tuple[str, str]  # (stem or lemma, surface as written)


@lru_cache(maxsize=300_000)
def _split(word: str) -> tuple[Piece, ...] | None:
    best: tuple[Piece, ...] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = word[:cut], word[cut:]
        if right in _SUFFIXES:
            continue
        forms = _modifier_forms(left)
        if not forms:
            continue
        if _known_head(right):
            tail: tuple[Piece, ...] | None = ((lemma(right), right),)
        else:
            tail = _split(right) if len(right) >= 2 * MIN_PART else None
        if tail is None:
            continue
        candidate = ((forms[0], left), *tail)
        if best is None or len(candidate) < len(best) or (
            len(candidate) == len(best) and _score(candidate) > _score(best)
        ):
            best = candidate
    return best


def _score(pieces: tuple[Piece, ...]) -> float:
    """The weakest piece decides: a split is as plausible as its rarest part as written."""
    return min(max(zipf_frequency(surface, "sv"), zipf_frequency(stem, "sv") - 0.5) for stem, surface in pieces)


@lru_cache(maxsize=300_000)
def split_compound(word: str) -> Compound | None:
    """The split of a word, or None when it is not (or should not be read as) a compound."""
    lowered = word.lower()
    if not 2 * MIN_PART <= len(lowered) <= MAX_COMPOUND_CHARS or not lowered.isalpha():
        return None  # the split is quadratic in the word's length: a longer "word" is junk, not Swedish
    if zipf_frequency(lowered, "sv") >= LEXICALISED_ZIPF:
        return None
    pieces = _split(lowered)
    if not pieces or len(pieces) < 2:
        return None
    return Compound(tuple(stem for stem, _ in pieces), pieces[-1][1])


def is_swedish_word(word: str) -> bool:
    """Known to wordfreq, or a compound of known words: used to repair line-break hyphens."""
    lowered = word.lower()
    return zipf_frequency(lowered, "sv") > 0 or split_compound(lowered) is not None
