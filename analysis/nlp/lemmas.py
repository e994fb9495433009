"""Swedish lemmas from simplemma (greedy), cached: the blank spaCy pipeline has no tagger."""

from __future__ import annotations

from functools import lru_cache

import simplemma


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Lower-case lemma; greedy mode also reduces inflected compounds ("arbetsmiljön")."""
    lowered = word.lower()
    if not any(ch.isalpha() for ch in lowered):
        return lowered
    return simplemma.lemmatize(lowered, lang="sv", greedy=True).lower()


def phrase_lemmas(phrase: str) -> tuple[str, ...]:
    """Lemmas of each word in a vocabulary phrase, lemmatised exactly as document tokens are."""
    return tuple(lemma(word) for word in phrase.replace("-", " - ").split() if word != "-")
