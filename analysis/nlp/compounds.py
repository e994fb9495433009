"""Swedish compound splitting over wordfreq frequencies.

Everything runs offline (README.md) and no ready Swedish splitter does well without a
downloaded model, so: dynamic programming over
known words, with the linking morphemes Swedish uses (-s-, dropped -a/-e),
preferring the fewest parts. Common words are treated as lexicalised
("företag" is not före + tag). Every answer is cached.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from wordfreq import get_frequency_dict, zipf_frequency

from analysis.nlp.lemmas import lemma

MIN_PART = 3
KNOWN_ZIPF = 2.8
HEAD_ZIPF = 2.2
LEXICALISED_ZIPF = 4.6
MAX_WORD = 64  # longer "words" are not split: the splitter is quadratic in word length


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


# Lower-case words wordfreq's tokenizer keeps as one token unchanged: for them zipf_frequency is one
# dict lookup, so the splitter's many probes skip its tokenizer (half the cost of an unseen document).
_ONE_TOKEN = re.compile(r"[a-zåäöéü]+")
LANGUAGE = "sv"


@lru_cache(maxsize=1)
def _frequency_table() -> tuple[dict[str, float], dict[float, float]]:
    """wordfreq's own Swedish frequency dict (cached by wordfreq) and the Zipf value of each frequency."""
    frequencies = get_frequency_dict(LANGUAGE)
    return frequencies, {frequency: _zipf_of(frequency) for frequency in set(frequencies.values())}


def _zipf_of(frequency: float) -> float:
    """wordfreq's arithmetic for a word that is one token: 3 significant digits, then Zipf to 2 decimals."""
    unrounded = max(1.0 / (0.0 + 1.0 / frequency), 1e-9)
    rounded = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)  # noqa: FURB163 (as wordfreq does)
    return round(math.log(rounded, 10) + 9, 2)  # noqa: FURB163 (log10 may differ in the last bit)


def zipf(word: str) -> float:
    """Exactly ``wordfreq.zipf_frequency(word, "sv")``, by a dict lookup when the word is one plain token."""
    if len(word) > MAX_WORD or not _ONE_TOKEN.fullmatch(word):
        return zipf_frequency(word, LANGUAGE)
    frequencies, zipf_of = _frequency_table()
    frequency = frequencies.get(word)
    return 0.0 if frequency is None else zipf_of[frequency]


@lru_cache(maxsize=1)
def _head_words() -> frozenset[str]:
    """Every one-token word of at least MIN_PART letters with Zipf ≥ HEAD_ZIPF: a set lookup per probe."""
    frequencies, zipf_of = _frequency_table()
    return frozenset(word for word, frequency in frequencies.items()
                     if zipf_of[frequency] >= HEAD_ZIPF and len(word) >= MIN_PART and _ONE_TOKEN.fullmatch(word))


@lru_cache(maxsize=1)
def _stems() -> dict[str, float]:
    """The words a modifier may stand for (Zipf ≥ KNOWN_ZIPF, one token, ≥ MIN_PART letters) and their Zipf."""
    frequencies, zipf_of = _frequency_table()
    return {word: zipf_of[frequency] for word, frequency in frequencies.items()
            if zipf_of[frequency] >= KNOWN_ZIPF and len(word) >= MIN_PART and _ONE_TOKEN.fullmatch(word)}


@lru_cache(maxsize=1)
def _sorted_stems() -> list[str]:
    return sorted(_stems())


def _stem_neighbours(word: str) -> tuple[str, str]:
    """The stems either side of ``word`` in sorted order: if any stem begins as ``word`` does, one of these does."""
    stems = _sorted_stems()
    at = bisect_left(stems, word)
    return stems[at - 1] if at else "", stems[at] if at < len(stems) else ""


def _at_least(word: str, threshold: float, frequent: Collection[str]) -> bool:
    """``len(word) >= MIN_PART and zipf(word) >= threshold``, mostly by one set lookup."""
    if word in frequent:
        return True
    if len(word) < MIN_PART or _ONE_TOKEN.fullmatch(word):
        return False
    return zipf(word) >= threshold


# Derivational endings are not heads: "jämställdhet" is not jämställd + heta.
_SUFFIXES = {"het", "heten", "heter", "ning", "ningen", "ningar", "skap", "skapet", "else", "dom", "domen",
             "ande", "ende", "lig", "liga", "ligt", "isk", "iska", "iskt", "are", "aren", "arna", "ens", "ion"}


def _modifier(left: str, plain: bool) -> tuple[str, float] | None:
    """The most frequent stem a modifier may stand for, with its Zipf: "arbets" → arbete, "skol" → skola.

    None if no stem is known. ``plain``: the word is one plain token, so every form is too and the
    stem table alone decides.
    """
    forms = [left, left + "a", left + "e"]
    if left.endswith("s") and len(left) > MIN_PART:
        stem = left[:-1]
        forms += [stem, stem + "e", stem + "a"]
    stems = _stems()
    best, best_zipf = None, 0.0
    for form in forms:
        form_zipf = stems.get(form, 0.0) if plain else _known_zipf(form, stems)
        if form_zipf > best_zipf:  # a known stem's Zipf is at least KNOWN_ZIPF, so above 0
            best, best_zipf = form, form_zipf
    return None if best is None else (best, best_zipf)


def _known_zipf(form: str, stems: dict[str, float]) -> float:
    return zipf(form) if _at_least(form, KNOWN_ZIPF, stems) else 0.0


def _known_head(word: str) -> bool:
    if word in _SUFFIXES or len(word) < MIN_PART:
        return False
    return _at_least(word, HEAD_ZIPF, _head_words()) or zipf(lemma(word)) >= HEAD_ZIPF


Piece = tuple[str, str]  # (stem or lemma, surface as written)


class _Cut(NamedTuple):
    """A place to cut the word where the left part is a known modifier: its piece and the piece's score."""

    at: int
    piece: Piece
    score: float


@lru_cache(maxsize=10_000)  # split_compound caches the words; this mostly serves the (rarer) recursion
def _split(word: str) -> tuple[Piece, ...] | None:
    """The split with the fewest pieces, then the highest ``_score``, then the earliest cut.

    A two-piece split beats any longer one, so the right side is split again only when no cut
    leaves a known head.
    """
    cuts = _cuts(word)
    best = _best_two_pieces(word, cuts)
    if best is not None:
        return best
    for cut in cuts:
        right = word[cut.at :]
        tail = _split(right) if len(right) >= 2 * MIN_PART else None
        if tail is None:
            continue
        candidate = (cut.piece, *tail)
        if best is None or len(candidate) < len(best) or (
            len(candidate) == len(best) and _score(candidate) > _score(best)
        ):
            best = candidate
    return best


def _cuts(word: str) -> list[_Cut]:
    """Every cut whose left part is a known modifier and whose right part is no derivational ending."""
    plain = _ONE_TOKEN.fullmatch(word) is not None  # then so is every part of it (each of ≥ MIN_PART letters)
    before, after = _stem_neighbours(word)
    cuts = []
    for at in range(MIN_PART, len(word) - MIN_PART + 1):
        left = word[:at]
        begins = not plain or before.startswith(left) or after.startswith(left)  # some stem begins with it
        # Else only a left part ending in a linking s may stand for a stem ("arbets" for arbete).
        if (begins or left.endswith("s")) and word[at:] not in _SUFFIXES and (modifier := _modifier(left, plain)):
            stem, stem_zipf = modifier
            cuts.append(_Cut(at, (stem, left), max(zipf(left), stem_zipf - 0.5)))  # the piece's _piece_score
        if not begins:
            break  # no form of a longer left part is a stem: each begins with this one
    return cuts


def _best_two_pieces(word: str, cuts: list[_Cut]) -> tuple[Piece, ...] | None:
    """The best split into a modifier and a known head, looking up as few heads' lemmas as it can.

    A split scores no higher than its modifier, so taking the cuts by modifier score the search
    ends at the first cut that could not win even with the strongest head.
    """
    best: tuple[Piece, ...] | None = None
    rank = (0.0, 0)  # (score, -cut position) of the best: the larger wins
    for cut in sorted(cuts, key=lambda cut: -cut.score):  # stable: equal scores stay in word order
        if best is not None and (cut.score, -cut.at) < rank:
            break
        right = word[cut.at :]
        if not _known_head(right):
            continue
        head = (lemma(right), right)
        score = min(cut.score, _piece_score(head))
        if best is None or (score, -cut.at) > rank:
            best, rank = (cut.piece, head), (score, -cut.at)
    return best


def _piece_score(piece: Piece) -> float:
    stem, surface = piece
    return max(zipf(surface), zipf(stem) - 0.5)


def _score(pieces: tuple[Piece, ...]) -> float:
    """The weakest piece decides: a split is as plausible as its rarest part as written."""
    return min(_piece_score(piece) for piece in pieces)


@lru_cache(maxsize=30_000)
def split_compound(word: str) -> Compound | None:
    """The split of a word, or None when it is not (or should not be read as) a compound."""
    lowered = word.lower()
    if not 2 * MIN_PART <= len(lowered) <= MAX_WORD or not lowered.isalpha():
        return None
    if zipf(lowered) >= LEXICALISED_ZIPF:
        return None
    pieces = _split(lowered)
    if not pieces or len(pieces) < 2:
        return None
    return Compound(tuple(stem for stem, _ in pieces), pieces[-1][1])


def is_swedish_word(word: str) -> bool:
    """Known to wordfreq, or a compound of known words: used to repair line-break hyphens."""
    lowered = word.lower()
    return zipf(lowered) > 0 or split_compound(lowered) is not None
