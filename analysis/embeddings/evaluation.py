"""Embedder evaluation: static-sv and a TF-IDF baseline against the e5-small teacher and the labels.

- agreement: for each sentence, is its nearest policy item the teacher's nearest item?
- spearman: rank correlation of sentence–item similarities with the teacher's (a diagnostic);
- document accuracy: top-1 of the same semantic document score (mean of the top-3 sentence
  similarities) against the devset labels, per framework;
- throughput: sentences per second encoding the devset sentences.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.embeddings import get_embedder
from analysis.embeddings.base import l2_normalise
from analysis.matching.semantic import MIN_SENTENCE_WORDS, item_texts, top_k_mean
from analysis.settings import Settings


class TfidfEmbedder:
    """Character n-gram TF-IDF (compound-friendly), fitted on the texts it will compare."""

    name = "tfidf"
    version = "char-wb-3-5"

    def __init__(self, fit_texts: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
        self._vectorizer.fit(list(fit_texts))
        self.dim = len(self._vectorizer.vocabulary_)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(self._vectorizer.transform(list(texts)).toarray().astype(np.float32))


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a.ravel(), b.ravel()).statistic)


def compare_embedders(
    directory: Path, settings: Settings, backends: Sequence[str] = ("static-sv", "e5-small", "tfidf")
) -> dict:
    from analysis.evaluation import gold_items, load_labelled, read_labelled
    from analysis.pipeline import Analyzer

    reader = Analyzer.create(settings.model_copy(update={"embedder": "fake"}))
    labelled = load_labelled(directory)
    documents = [reader.prepare(read_labelled(reader, item), item.id) for item in labelled]
    frameworks = reader.frameworks(None)
    items = [(framework, item) for framework in frameworks for item in framework.items]
    texts, owners = [], []
    for index, (_, item) in enumerate(items):
        for text in item_texts(item):
            texts.append(text)
            owners.append(index)
    owners_array = np.asarray(owners)
    sentences = [s.text for d in documents for s in d.sentences if len(s.tokens) >= MIN_SENTENCE_WORDS]
    sentences += [example for _, item in items for example in item.examples]

    def item_similarities(sentence_vectors: np.ndarray, text_vectors: np.ndarray) -> np.ndarray:
        sims = sentence_vectors @ text_vectors.T
        out = np.full((len(sentence_vectors), len(items)), -1.0, dtype=np.float32)
        for index in range(len(items)):
            out[:, index] = sims[:, owners_array == index].max(axis=1)
        return out

    report: dict = {"sentences": len(sentences), "items": len(items), "texts": len(labelled), "backends": {}}
    teacher_sims = None
    for name in ("e5-small", *[b for b in backends if b != "e5-small"]):
        if name not in backends:
            continue
        started = time.perf_counter()
        embedder = TfidfEmbedder(texts + sentences) if name == "tfidf" else get_embedder(name, str(settings.models_dir))
        load = time.perf_counter() - started
        started = time.perf_counter()
        sentence_vectors = embedder.encode(sentences)
        throughput = len(sentences) / (time.perf_counter() - started)
        sims = item_similarities(sentence_vectors, embedder.encode(texts))
        if name == "e5-small":
            teacher_sims = sims
        accuracy: dict[str, float | None] = {}
        offset = 0
        for framework in frameworks:
            count = len(framework.items)
            hits = total = 0
            for labels, document in zip(labelled, documents, strict=True):
                gold = gold_items(labels.labels, framework)
                usable = [s.text for s in document.sentences if len(s.tokens) >= MIN_SENTENCE_WORDS]
                if not gold or not usable:
                    continue
                doc_sims = item_similarities(embedder.encode(usable), embedder.encode(texts))[
                    :, offset : offset + count
                ]
                score = top_k_mean(doc_sims)
                hits += framework.items[int(score.argmax())].id == gold[0]
                total += 1
            accuracy[framework.id] = round(hits / total, 3) if total else None
            offset += count
        entry = {"version": embedder.version, "load_seconds": round(load, 2),
                 "sentences_per_second": round(throughput, 1), "document_top1": accuracy}
        if teacher_sims is not None and name != "e5-small":
            entry["agreement_top1"] = round(float((sims.argmax(axis=1) == teacher_sims.argmax(axis=1)).mean()), 3)
            entry["spearman"] = round(_spearman(sims, teacher_sims), 3)
        report["backends"][name] = entry
    return report


def format_comparison(report: dict) -> str:
    frameworks = list(next(iter(report["backends"].values()))["document_top1"])
    short = {f: f.split("-")[0] for f in frameworks}
    header = (f"{'backend':<11}{'sent/s':>10}{'load s':>8}{'agree@1':>9}{'spearman':>10}"
              + "".join(f"{'top1 ' + short[f]:>16}" for f in frameworks))
    lines = [
        f"{report['sentences']} sentences, {report['items']} policy items, {report['texts']} labelled texts",
        header,
    ]
    for name, entry in report["backends"].items():
        lines.append(f"{name:<11}{entry['sentences_per_second']:>10,.0f}{entry['load_seconds']:>8.2f}"
                     f"{entry.get('agreement_top1', 1.0):>9.3f}{entry.get('spearman', 1.0):>10.3f}"
                     + "".join(f"{entry['document_top1'][f] or 0:>16.3f}" for f in frameworks))
    return "\n".join(lines)
