"""A tiny deterministic embedder for unit tests: bag of hashed word vectors."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from analysis.embeddings.base import l2_normalise

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Texts sharing words get similar vectors; no model, no randomness across runs."""

    name = "fake"
    version = "hash-bow-1"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self._cache: dict[str, np.ndarray] = {}

    def _word_vector(self, word: str) -> np.ndarray:
        if word not in self._cache:
            seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            self._cache[word] = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return self._cache[word]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[row] += self._word_vector(word)
        return l2_normalise(out)
