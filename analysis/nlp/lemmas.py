"""Swedish lemmas from simplemma (greedy), cached: the blank spaCy pipeline has no tagger."""

from __future__ import annotations

from functools import lru_cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy

from analysis.language import lemma_exceptions

# simplemma.lemmatize(..., greedy=True) with its own second cache (65 536 entries) turned off: ours is in front.
_LEMMATIZER = Lemmatizer(cache_max_size=0, lemmatization_strategy=DefaultStrategy(greedy=True))


@lru_cache(maxsize=40_000)
def lemma(word: str) -> str:
    """Lower-case lemma; greedy mode also reduces inflected compounds ("arbetsmiljön")."""
    return _lemma_of_lowered(word.lower())


@lru_cache(maxsize=40_000)
def _lemma_of_lowered(lowered: str) -> str:
    """Cached by the lower-case form: "Projektet" and "projektet" are looked up once."""
    if not any(ch.isalpha() for ch in lowered):
        return lowered
    if (exception := lemma_exceptions().get(lowered)) is not None:
        return exception
    return _LEMMATIZER.lemmatize(lowered, "sv").lower()


def phrase_lemmas(phrase: str) -> tuple[str, ...]:
    """Lemmas of each word in a vocabulary phrase, lemmatised exactly as document tokens are."""
    return tuple(lemma(word) for word in phrase.replace("-", " - ").split() if word != "-")
