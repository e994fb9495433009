"""The match keys between tokens and vocabulary terms: the one definition of their prefixes.

A token carries keys such as ``w:företag`` (the word or its lemma), ``m:export`` (a compound's
modifier), ``h:stöd`` (a compound's head) and ``s:ab`` (the surface form); a term is looked up under
the keys of the positions it allows (corpus ``positions``), or under its surface key.
"""

from __future__ import annotations

from analysis.corpus.schema import Position

WORD = "w:"
MODIFIER = "m:"
HEAD = "h:"
SURFACE = "s:"
PREFIX: dict[Position, str] = {"word": WORD, "modifier": MODIFIER, "head": HEAD}


def position_keys(word: str, positions: tuple[Position, ...]) -> list[str]:
    """The keys a term ``word`` matches at the given positions."""
    return [PREFIX[position] + word for position in positions]
