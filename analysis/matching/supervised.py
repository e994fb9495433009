"""Supervised matcher: logistic regression on the document's lemma TF-IDF, one model per framework.

Fitted with scikit-learn on the labelled texts (their primary item, and any
secondary item at SECONDARY_WEIGHT) plus the corpus's own item texts (name,
description, orientations, examples), so a new framework with no labelled
texts still gets a model from its corpus entry.
Stored as JSON (vocabulary, idf, coefficients): no pickles, no scikit-learn at
run time. Its probability is one more feature for the calibrator.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import ClassVar

import numpy as np

from analysis.corpus.schema import Framework, PolicyItem
from analysis.document import Document
from analysis.artefacts import content_version, read_json, write_json
from analysis.matching.base import ItemScore
from analysis.matching.features import Feature
from analysis.matching.registry import register
from analysis.nlp import phrase_lemmas

MAX_TERMS = 3000
MIN_DOCUMENTS = 2
C = 3.0
SECONDARY_WEIGHT = 0.25  # a text's secondary item (realdev's and devset2's second id) counts a quarter of its primary
MODEL_FILE = "supervised-matcher/model.json"


def content_lemmas(lemmas: Sequence[str]) -> list[str]:
    """Alphabetic lemmas of three letters or more: what the TF-IDF model reads."""
    return [word for word in lemmas if len(word) > 2 and word.isalpha()]


def document_lemmas(document: Document) -> list[str]:
    return content_lemmas([word for sentence in document.sentences for word in sentence.lemma_text.split()])


def item_documents(item: PolicyItem) -> list[list[str]]:
    """The corpus's own words for an item, each text a training document."""
    texts = [f"{item.name}. {item.description}", *item.orientations, *item.examples]
    return [content_lemmas(phrase_lemmas(text.lower())) for text in texts]


@dataclass
class FrameworkModel:
    terms: dict[str, int]
    idf: list[float]
    classes: list[str]
    coefficients: list[list[float]]  # classes × terms (one row for two classes: sklearn's binary form)
    intercepts: list[float]
    # the weights as arrays, made on first use: converting the lists was most of a call's time
    _arrays: tuple[np.ndarray, np.ndarray] | None = field(default=None, init=False, repr=False, compare=False)

    def probabilities(self, lemmas: Sequence[str]) -> dict[str, float]:
        counts = Counter(self.terms[w] for w in lemmas if w in self.terms)
        vector = np.zeros(len(self.terms), dtype=np.float64)
        for index, count in counts.items():
            vector[index] = (1.0 + math.log(count)) * self.idf[index]
        norm = float(np.linalg.norm(vector))
        if norm:
            vector /= norm
        if self._arrays is None:
            self._arrays = (np.asarray(self.coefficients), np.asarray(self.intercepts))
        coefficients, intercepts = self._arrays
        z = coefficients @ vector + intercepts
        if len(self.classes) == 2:  # binary: one logit for the second class
            p = 1.0 / (1.0 + math.exp(-float(z[0])))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        z = np.exp(z - z.max())
        return dict(zip(self.classes, (z / z.sum()).tolist(), strict=True))


@dataclass
class SupervisedModel:
    frameworks: dict[str, FrameworkModel]
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        models = self.frameworks.values()
        return content_version("supervised",
                               {k: [m.classes, m.intercepts, len(m.terms)] for k, m in self.frameworks.items()},
                               (np.asarray(m.coefficients, dtype=np.float32).tobytes() for m in models))

    def save(self, path: Path) -> None:
        write_json(path, {"frameworks": {k: {f.name: getattr(m, f.name) for f in fields(m) if f.init}
                                         for k, m in self.frameworks.items()}, "meta": self.meta},
                   indent=None)

    @classmethod
    def load(cls, path: Path) -> SupervisedModel:
        data = read_json(path, "supervised matcher")
        return cls({k: FrameworkModel(**m) for k, m in data["frameworks"].items()}, data.get("meta", {}))


@register("supervised")
class SupervisedMatcher:
    """Scores every item of a framework by the fitted model's probability; no evidence of its own."""

    name: ClassVar[str]  # set by @register
    features = (Feature.SUPERVISED,)
    score_range = (0.0, 1.0)  # a probability

    def __init__(self, model: SupervisedModel) -> None:
        self.model = model

    def score(self, document: Document, framework: Framework) -> list[ItemScore]:
        model = self.model.frameworks.get(framework.id)
        probabilities = model.probabilities(document_lemmas(document)) if model else {}
        return [ItemScore(item.id, p, [], self.name, {Feature.SUPERVISED: p})
                for item in framework.items for p in [unfitted_default(probabilities, item.id)]]


def unfitted_default(probabilities: dict[str, float], item_id: str) -> float:
    """The model's probability for an item; for an item added to the corpus after the fit (no class of its own)
    the mean probability of a class, 1/classes, so the other matchers decide it rather than a 0 that
    reads as "certainly not"; 0 when the framework has no model."""
    if item_id in probabilities:
        return probabilities[item_id]
    return 1.0 / len(probabilities) if probabilities else 0.0


def fit_supervised(frameworks: Sequence[Framework], labelled: Sequence[tuple[list[str], Mapping[str, Sequence[str]]]],
                   meta: dict | None = None) -> SupervisedModel:
    """Fit one model per framework on (document lemmas, {framework id: gold items, primary first}) plus the
    corpus texts. The primary item is a sample of weight 1, each further item the same text at
    SECONDARY_WEIGHT, so a text that serves two areas teaches both."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    models = {}
    for framework in frameworks:
        docs: list[list[str]] = []
        targets: list[str] = []
        weights: list[float] = []
        for lemmas, gold in labelled:
            for rank, item_id in enumerate(gold.get(framework.id) or ()):
                docs.append(lemmas)
                targets.append(item_id)
                weights.append(1.0 if rank == 0 else SECONDARY_WEIGHT)
        for item in framework.items:
            for words in item_documents(item):
                docs.append(words)
                targets.append(item.id)
                weights.append(1.0)
        if len(set(targets)) < 2:
            continue
        vectoriser = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True, min_df=MIN_DOCUMENTS,
                                     max_features=MAX_TERMS)
        matrix = vectoriser.fit_transform(docs)
        classifier = LogisticRegression(C=C, max_iter=3000).fit(matrix, targets, sample_weight=weights)
        vocabulary = {term: int(index) for term, index in vectoriser.vocabulary_.items()}
        models[framework.id] = FrameworkModel(
            terms=vocabulary, idf=[round(float(v), 5) for v in vectoriser.idf_],
            classes=[str(c) for c in classifier.classes_],
            coefficients=[[round(float(v), 5) for v in row] for row in classifier.coef_],
            intercepts=[round(float(v), 5) for v in classifier.intercept_])
    return SupervisedModel(models, meta or {})
