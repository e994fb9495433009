"""The fact ranker: one logistic regression per fact kind over candidate features, stored as JSON.

Like the alignment calibrator it is fitted with scikit-learn and saved as plain
numbers (no pickles), versioned by content hash. It knows the feature names it
was fitted on and refuses a generator that cannot produce them (scikit-learn's
``feature_names_in_`` idea); features it was not fitted on weigh nothing until
the next refit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from analysis.artefacts import content_version, read_json, write_json
from analysis.errors import ModelUnavailableError
from analysis.facts.candidates import FACT_KINDS, FactKind

DEFAULT_THRESHOLD = 0.3


@dataclass
class FactModel:
    features: list[str]
    coefficients: list[float]
    intercept: float
    threshold: float = DEFAULT_THRESHOLD
    # name → (position, weight): a candidate sets a handful of ~170 features
    _weights: dict[str, tuple[int, float]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._weights = {name: (position, w) for position, (name, w)
                         in enumerate(zip(self.features, self.coefficients, strict=True))}

    def probability(self, features: dict[str, float]) -> float:
        """The logistic of the weighted features; only the candidate's non-zero features are visited, in the
        model's order, so the sum is the same float as over all of them."""
        weights = self._weights
        terms = sorted((entry[0], entry[1] * value) for name, value in features.items()
                       if value and (entry := weights.get(name)) is not None)
        z = self.intercept + sum(term for _, term in terms)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass
class FactRanker:
    models: dict[str, FactModel]
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return content_version("fact-ranker", {k: [m.features, m.coefficients, m.intercept, m.threshold]
                                               for k, m in self.models.items()})

    def probability(self, fact: FactKind, features: dict[str, float]) -> float:
        """0 for a kind the ranker was never fitted on (an unfitted ranker reports no facts)."""
        return self.models[fact].probability(features) if fact in self.models else 0.0

    def threshold(self, fact: FactKind) -> float:
        return self.models[fact].threshold if fact in self.models else 1.0

    def check(self, feature_names: dict[FactKind, list[str]]) -> None:
        """Refuse to run with a candidate generator that lacks features the ranker was fitted on."""
        for fact, model in self.models.items():
            missing = sorted(set(model.features) - set(feature_names.get(fact, [])))  # type: ignore[call-overload]
            if missing:
                raise ModelUnavailableError(
                    f"the fact ranker needs features the corpus no longer defines ({', '.join(missing[:5])}); "
                    "refit it with 'policyalign models calibrate'")

    def save(self, path: Path) -> None:
        write_json(path, {"models": {k: {f.name: getattr(m, f.name) for f in fields(m) if f.init}
                                      for k, m in self.models.items()}, "meta": self.meta}, indent=1)

    @classmethod
    def load(cls, path: Path) -> FactRanker:
        data = read_json(path, "fact ranker")
        return cls({k: FactModel(**m) for k, m in data["models"].items()}, data.get("meta", {}))


Sample = tuple[str, dict[str, float], int, str]  # (fact kind, features, label 0/1, document id)


def fit_fact_ranker(samples: Sequence[Sample], feature_names: dict[FactKind, list[str]],
                    gold_null: dict[tuple[str, str], bool] | None = None, c: float = 1.0,
                    meta: dict | None = None) -> FactRanker:
    """Fit per kind; the threshold below which a fact is left empty maximises exact answers per document.

    ``gold_null[(fact, document)]`` says the document states no such fact, so the right answer is none.
    """
    from sklearn.linear_model import LogisticRegression

    models: dict[str, FactModel] = {}
    for fact in FACT_KINDS:
        names = feature_names[fact]
        rows = [(f, y, doc) for k, f, y, doc in samples if k == fact]
        x = np.array([[f.get(n, 0.0) for n in names] for f, _, _ in rows]) if rows else np.zeros((0, len(names)))
        y = np.array([label for _, label, _ in rows])
        if len(set(y.tolist())) < 2:
            models[fact] = FactModel(names, [0.0] * len(names), -5.0, 0.5)
            continue
        model = LogisticRegression(C=c, max_iter=2000).fit(x, y)
        km = FactModel(names, [round(float(v), 6) for v in model.coef_[0]], round(float(model.intercept_[0]), 6))
        km.threshold = _best_threshold(km, rows, gold_null or {}, fact)
        models[fact] = km
    return FactRanker(models, meta or {})


def _best_threshold(model: FactModel, rows: list[tuple[dict[str, float], int, str]],
                    gold_null: dict[tuple[str, str], bool], fact: str) -> float:
    """The cut-off that makes the most documents exactly right (a stated fact found, or none when none)."""
    best_per_doc: dict[str, tuple[float, int]] = {}
    for features, label, doc in rows:
        p = model.probability(features)
        if doc not in best_per_doc or p > best_per_doc[doc][0]:
            best_per_doc[doc] = (p, label)
    docs = set(best_per_doc) | {doc for (k, doc), null in gold_null.items() if k == fact}
    best, best_score = DEFAULT_THRESHOLD, -1
    for threshold in np.linspace(0.05, 0.7, 27):
        score = 0
        for doc in docs:
            p, label = best_per_doc.get(doc, (0.0, 0))
            is_null = gold_null.get((fact, doc), False)
            score += (p < threshold) if is_null else (p >= threshold and label == 1)
        if score > best_score:
            best, best_score = float(round(threshold, 3)), score
    return best
