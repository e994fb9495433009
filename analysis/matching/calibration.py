"""Calibration of matcher features into probabilities (scikit-learn logistic regression).

The fitted coefficients are stored as JSON (no pickles): readable in review,
loadable without scikit-learn, versioned by their content hash.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.artefacts import content_version, read_json, write_json
from analysis.errors import ModelUnavailableError
from analysis.matching.features import Feature, check_names
from analysis.matching.registry import calibrator_features

FEATURES = calibrator_features()
_FEATURE_SET = frozenset(FEATURES)
DEFAULT_KEY = "default"  # the model pooled over every framework kind, for a kind not fitted on


def calibrator_path(models_dir: Path, embedder: str) -> Path:
    """One calibrator per embedder: its features' scale depends on the embedder."""
    return models_dir / "alignment-calibrator" / f"{embedder}.json"


def feature_vector(features: Mapping[Feature, float]) -> list[float]:
    """The calibrator's inputs in order. Exactly the registered features: a missing or misspelt name is
    a FeatureMismatchError (a bug in a matcher), never a silent 0."""
    if features.keys() != _FEATURE_SET:
        check_names(features, FEATURES)  # raises, naming the unexpected and the missing
    return [float(features[name]) for name in FEATURES]


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
    item_offsets: dict[str, dict[str, float]] = field(default_factory=dict)  # model key → item id → log-odds

    @property
    def version(self) -> str:
        return content_version(f"calibrator-{self.embedder}",
                               [self.coefficients, self.intercepts, self.threshold, self.item_offsets])

    def key(self, framework_kind: str) -> str:
        """The model a framework kind is scored with: its own, or the pooled default."""
        return framework_kind if framework_kind in self.coefficients else DEFAULT_KEY

    def offset(self, framework_kind: str, item: str | None) -> float:
        """The item's fitted log-odds offset; 0 for an item the calibrator was not fitted on."""
        return self.item_offsets.get(self.key(framework_kind), {}).get(item or "", 0.0)

    def probability(self, framework_kind: str, features: Mapping[Feature, float], item: str | None = None) -> float:
        key = self.key(framework_kind)
        z = float(np.dot(self.coefficients[key], feature_vector(features))) + self.intercepts[key]
        z += self.offset(framework_kind, item)
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
        coefficients = {key: [weights[i] for i in order] for key, weights in data["coefficients"].items()}
        return cls(data["embedder"], coefficients, data["intercepts"], data["threshold"], data.get("meta", {}),
                   data.get("item_offsets", {}))


def fit_calibrator(rows: Sequence[tuple[str, str, Mapping[Feature, float], int]], embedder: str, c: float = 1.0,
                   meta: dict | None = None) -> Calibrator:
    """Fit per framework kind on (framework kind, item, features, label) rows, with one offset column per
    item of the kind; DEFAULT_KEY pools every kind, without item offsets, for frameworks of a kind never
    fitted."""
    from sklearn.linear_model import LogisticRegression

    coefficients, intercepts, offsets = {}, {}, {}
    framework_kinds = sorted({framework_kind for framework_kind, _, _, _ in rows})
    for key in [*framework_kinds, DEFAULT_KEY]:
        subset = [(item, f, y) for k, item, f, y in rows if key == DEFAULT_KEY or k == key]
        items = sorted({item for item, _, _ in subset}) if key != DEFAULT_KEY else []
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
        coefficients[key] = weights[: len(FEATURES)]
        intercepts[key] = round(float(model.intercept_[0]), 6)
        if items:
            offsets[key] = dict(zip(items, weights[len(FEATURES):], strict=True))
    return Calibrator(embedder, coefficients, intercepts, 0.5, meta or {}, offsets)
