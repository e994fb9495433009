"""Language identification, restricted to the Scandinavian languages and English."""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.language import swedish_markers

CANDIDATES = ("sv", "en", "no", "nn", "da")
MIN_CHARS_FOR_VERDICT = 40
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _identifier():
    """py3langid with only the candidate languages' columns kept: the model's 142-column table
    (28 MB) is dropped once loaded, where ``set_languages`` would keep it for a later reset."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    keep = [index for index, language in enumerate(full.nb_classes) if language in CANDIDATES]
    return LanguageIdentifier(full.nb_ptc[:, keep], full.nb_pc[keep], [full.nb_classes[i] for i in keep],
                              full.tk_nextmove, full.tk_output, norm_probs=True, tk_row=full.tk_row)


def load_identifier() -> None:
    """Load the identifier now (a warm-up): most texts never need it, so the first that does would pay
    ~0.4 s for loading it in the middle of a request."""
    _identifier()


def detect_language(text: str) -> tuple[str, float]:
    """(language, probability); short texts are assumed Swedish, as a form field usually is."""
    sample = text[:2000]  # two thousand characters decide the language; more only costs time
    if len(sample.strip()) < MIN_CHARS_FOR_VERDICT:
        return "sv", 0.0
    if clearly_swedish(sample):
        return "sv", 1.0
    language, probability = _identifier().classify(sample)
    return language, float(probability)


def clearly_swedish(sample: str) -> bool:
    """Enough words that only Swedish uses, and no Danish or Norwegian letter: no need to ask the identifier,
    whose byte-by-byte walk costs more than the rest of reading the text."""
    markers = swedish_markers()
    if any(letter in sample for letter in markers.foreign_letters):
        return False
    words = _WORD.findall(sample)
    if len(words) < markers.min_words:
        return False
    found = sum(1 for word in words if word.lower() in markers.words)
    return found >= markers.min_share * len(words)
