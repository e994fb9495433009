"""Language identification, restricted to the Scandinavian languages and English."""

from __future__ import annotations

from functools import lru_cache

CANDIDATES = ("sv", "en", "no", "nn", "da")
MIN_CHARS_FOR_VERDICT = 40


@lru_cache(maxsize=1)
def _identifier():
    """py3langid with only the candidate languages' columns kept: the model's 142-column table
    (28 MB) is dropped once loaded, where ``set_languages`` would keep it for a later reset."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    keep = [index for index, language in enumerate(full.nb_classes) if language in CANDIDATES]
    return LanguageIdentifier(full.nb_ptc[:, keep], full.nb_pc[keep], [full.nb_classes[i] for i in keep],
                              full.tk_nextmove, full.tk_output, norm_probs=True, tk_row=full.tk_row)


def detect_language(text: str) -> tuple[str, float]:
    """(language, probability); short texts are assumed Swedish, as a form field usually is."""
    sample = text[:2000]  # two thousand characters decide the language; more only costs time
    if len(sample.strip()) < MIN_CHARS_FOR_VERDICT:
        return "sv", 0.0
    language, probability = _identifier().classify(sample)
    return language, float(probability)
