"""Language identification, restricted to the Scandinavian languages and English."""

from __future__ import annotations

from functools import lru_cache

CANDIDATES = ("sv", "en", "no", "nn", "da")
MIN_CHARS_FOR_VERDICT = 40


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def detect_language(text: str) -> tuple[str, float]:
    """(language, probability); short texts are assumed Swedish, as a form field usually is."""
    sample = text[:2000]  # two thousand characters decide the language; more only costs time
    if len(sample.strip()) < MIN_CHARS_FOR_VERDICT:
        return "sv", 0.0
    language, probability = _identifier().classify(sample)
    return language, float(probability)
