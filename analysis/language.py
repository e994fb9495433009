"""Swedish language data (analysis/data/language-sv.yaml): abbreviations, coordinators, suspension words,
the function words that mark a text as Swedish, lemma exceptions.

Light to import (PyYAML only): the normaliser reads it in parsing children that never load spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LANGUAGE_FILE = Path(__file__).with_name("data") / "language-sv.yaml"


@dataclass(frozen=True)
class SwedishWords:
    abbreviations: frozenset[str]
    sentence_final_abbreviations: frozenset[str]
    coordinators: frozenset[str]
    suspension_followers: frozenset[str]

    @property
    def suspension_words(self) -> frozenset[str]:
        """Words after "låg- " that make the hyphen a suspended compound's."""
        return self.coordinators | self.suspension_followers


@cache
def _data() -> dict:
    return yaml.safe_load(LANGUAGE_FILE.read_text(encoding="utf-8"))


@cache
def swedish() -> SwedishWords:
    data = _data()
    return SwedishWords(*(frozenset(str(word) for word in data[key]) for key in (
        "abbreviations", "sentence_final_abbreviations", "coordinators", "suspension_followers")))


@dataclass(frozen=True)
class SwedishMarkers:
    """Words only Swedish has, and how many of them make a text certainly Swedish (see the data file)."""

    words: frozenset[str]
    min_share: float
    min_words: int
    foreign_letters: str


@cache
def swedish_markers() -> SwedishMarkers:
    data = _data()["swedish_markers"]
    return SwedishMarkers(frozenset(str(w) for w in data["words"]), float(data["min_share"]), int(data["min_words"]),
                          str(data["foreign_letters"]))


@cache
def lemma_exceptions() -> dict[str, str]:
    """Word forms whose lemma is not the dictionary's (lower case): "ska" → ska, not the noun skola."""
    return {str(word).lower(): str(lemma).lower() for word, lemma in _data().get("lemma_exceptions", {}).items()}


def abbreviations() -> list[str]:
    """Abbreviations that end in a full stop without ending the sentence, in the data file's order."""
    return [str(word) for word in _data()["abbreviations"]]
