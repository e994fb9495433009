"""Embedders: shape, normalisation, determinism; static-sv equals sentence-transformers."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.embeddings import get_embedder
from analysis.errors import ModelUnavailableError
from tests.conftest import ROOT

SENTENCES = ["Projektet stärker små företag i länet.", "Utsläppen av växthusgaser ska minska.", ""]


def check_contract(embedder):
    vectors = embedder.encode(SENTENCES)
    assert vectors.shape == (3, embedder.dim) and vectors.dtype == np.float32
    norms = np.linalg.norm(vectors[:2], axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert np.array_equal(vectors, embedder.encode(SENTENCES))
    assert embedder.encode([]).shape == (0, embedder.dim)


def test_fake_embedder():
    check_contract(get_embedder("fake", str(ROOT / "models")))


def test_static_embedder():
    embedder = get_embedder("static-sv", str(ROOT / "models"))
    check_contract(embedder)
    business, paraphrase, children = embedder.encode(["Företagen får rådgivning för att växa.",
                                                      "Små företag får stöd att utvecklas.", "Barnen leker på gården."])
    assert business @ paraphrase > business @ children


def test_static_model_loads_with_sentence_transformers_offline():
    from sentence_transformers import SentenceTransformer

    ours = get_embedder("static-sv", str(ROOT / "models")).encode(SENTENCES[:2])
    theirs = SentenceTransformer(str(ROOT / "models" / "static-sv"), device="cpu").encode(SENTENCES[:2])
    assert np.allclose(ours, theirs, atol=2e-3)


def test_unknown_backend():
    with pytest.raises(ModelUnavailableError):
        get_embedder("word2vec", str(ROOT / "models"))


def test_missing_model_folder(tmp_path):
    with pytest.raises(ModelUnavailableError):
        get_embedder("static-sv", str(tmp_path))


@pytest.mark.slow
def test_e5_small_teacher():
    check_contract(get_embedder("e5-small", str(ROOT / "models")))
