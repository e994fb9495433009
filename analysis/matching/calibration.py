"""Calibration of matcher features into probabilities (scikit-learn logistic regression).

The fitted coefficients are stored as JSON (no pickles): readable in review,
loadable without scikit-learn, versioned by their content hash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.artefacts import content_version, read_json, write_json
from analysis.errors import ModelUnavailableError
from analysis.matching.registry import calibrator_features

FEATURES = calibrator_features()


def feature_vector(features: dict[str, float]) -> list[float]:
    """The calibrator's inputs in order; a missing feature is a bug in a matcher, never a silent 0."""
    try:
        return [float(features[name]) for name in FEATURES]
    except KeyError as error:
        raise KeyError(f"a registered matcher did not report feature {error.args[0]!r}") from None


@dataclass
class Calibrator:
    """One logistic model per framework kind (rus, national, orientation).

    Besides the matchers' features, each kind's model has a fitted offset per item it was fitted on
    (a one-hot column): how often that item is the answer when the features look alike. An item the
    fit never saw (a new region's framework) gets no offset, i.e. the kind's average.
    """

    embedder: str
    coefficients: dict[str, list[float]]
    intercepts: dict[str, float]
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    item_offsets: dict[str, dict[str, float]] = field(default_factory=dict)  # kind → item id → log-odds

    @property
    def version(self) -> str:
        return content_version(f"calibrator-{self.embedder}",
                               [self.coefficients, self.intercepts, self.threshold, self.item_offsets])

    def kind_key(self, kind: str) -> str:
        """The model a framework kind uses: its own, or 'default' (every kind pooled) for a new kind."""
        return kind if kind in self.coefficients else "default"

    def offset(self, kind: str, item: str | None) -> float:
        return self.item_offsets.get(self.kind_key(kind), {}).get(item or "", 0.0)

    def probability(self, kind: str, features: dict[str, float], item: str | None = None) -> float:
        key = self.kind_key(kind)
        z = float(np.dot(self.coefficients[key], feature_vector(features))) + self.intercepts[key]
        z += self.offset(kind, item)
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path) -> None:
        write_json(path, {"embedder": self.embedder, "features": list(FEATURES), "coefficients": self.coefficients,
                          "intercepts": self.intercepts, "item_offsets": self.item_offsets,
                          "threshold": self.threshold, "meta": self.meta}, indent=2)

    @classmethod
    def load(cls, path: Path) -> Calibrator:
        data = read_json(path, "alignment calibrator")
        fitted = list(data["features"])
        if set(fitted) != set(FEATURES):  # scikit-learn's feature_names_in_ rule: same names, any order
            raise ModelUnavailableError(f"{path} was fitted on features {fitted}, the registered matchers report "
                                        f"{list(FEATURES)}; refit it with 'policyalign models calibrate'")
        order = [fitted.index(name) for name in FEATURES]
        coefficients = {kind: [weights[i] for i in order] for kind, weights in data["coefficients"].items()}
        return cls(data["embedder"], coefficients, data["intercepts"], data["threshold"], data.get("meta", {}),
                   data.get("item_offsets", {}))


def fit_calibrator(rows: list[tuple[str, str, dict[str, float], int]], embedder: str, c: float = 1.0,
                   meta: dict | None = None) -> Calibrator:
    """Fit per kind on (kind, item, features, label) rows, with one offset column per item of the kind;
    'default' pools every kind, without item offsets, for frameworks of a kind never fitted."""
    from sklearn.linear_model import LogisticRegression

    coefficients, intercepts, offsets = {}, {}, {}
    kinds = sorted({kind for kind, _, _, _ in rows})
    for kind in [*kinds, "default"]:
        subset = [(item, f, y) for k, item, f, y in rows if kind == "default" or k == kind]
        items = sorted({item for item, _, _ in subset}) if kind != "default" else []
        column = {item: index for index, item in enumerate(items)}
        x = np.zeros((len(subset), len(FEATURES) + len(items)))
        for row, (item, f, _) in enumerate(subset):
            x[row, : len(FEATURES)] = feature_vector(f)
            if item in column:
                x[row, len(FEATURES) + column[item]] = 1.0
        y = np.array([label for _, _, label in subset])
        if len(set(y)) < 2:
            continue
        model = LogisticRegression(C=c, max_iter=1000).fit(x, y)  # unweighted: probabilities stay calibrated
        weights = [round(float(v), 6) for v in model.coef_[0]]
        coefficients[kind] = weights[: len(FEATURES)]
        intercepts[kind] = round(float(model.intercept_[0]), 6)
        if items:
            offsets[kind] = dict(zip(items, weights[len(FEATURES):], strict=True))
    return Calibrator(embedder, coefficients, intercepts, 0.5, meta or {}, offsets)
