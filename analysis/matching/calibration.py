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
    """One logistic model per framework kind (rus, national, orientation)."""

    embedder: str
    coefficients: dict[str, list[float]]
    intercepts: dict[str, float]
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return content_version(f"calibrator-{self.embedder}", [self.coefficients, self.intercepts, self.threshold])

    def key(self, framework_kind: str) -> str:
        """The model a framework kind is scored with: its own, or the pooled default."""
        return framework_kind if framework_kind in self.coefficients else DEFAULT_KEY

    def probability(self, framework_kind: str, features: Mapping[Feature, float]) -> float:
        key = self.key(framework_kind)
        z = float(np.dot(self.coefficients[key], feature_vector(features))) + self.intercepts[key]
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path) -> None:
        write_json(path, {"embedder": self.embedder, "features": list(FEATURES), "coefficients": self.coefficients,
                          "intercepts": self.intercepts, "threshold": self.threshold, "meta": self.meta}, indent=2)

    @classmethod
    def load(cls, path: Path) -> Calibrator:
        data = read_json(path, "alignment calibrator")
        fitted = list(data["features"])
        if set(fitted) != set(FEATURES):  # scikit-learn's feature_names_in_ rule: same names, any order
            raise ModelUnavailableError(f"{path} was fitted on features {fitted}, the registered matchers report "
                                        f"{list(FEATURES)}; refit it with 'policyalign models calibrate'")
        order = [fitted.index(name) for name in FEATURES]
        coefficients = {key: [weights[i] for i in order] for key, weights in data["coefficients"].items()}
        return cls(data["embedder"], coefficients, data["intercepts"], data["threshold"], data.get("meta", {}))


def fit_calibrator(rows: Sequence[tuple[str, Mapping[Feature, float], int]], embedder: str, c: float = 1.0,
                   meta: dict | None = None) -> Calibrator:
    """Fit per framework kind on (framework kind, features, label) rows; DEFAULT_KEY pools every kind for
    new frameworks."""
    from sklearn.linear_model import LogisticRegression

    coefficients, intercepts = {}, {}
    framework_kinds = sorted({framework_kind for framework_kind, _, _ in rows})
    for key in [*framework_kinds, DEFAULT_KEY]:
        subset = [(f, y) for k, f, y in rows if key == DEFAULT_KEY or k == key]
        x = np.array([feature_vector(f) for f, _ in subset])
        y = np.array([label for _, label in subset])
        if len(set(y)) < 2:
            continue
        model = LogisticRegression(C=c, max_iter=1000).fit(x, y)  # unweighted: probabilities stay calibrated
        coefficients[key] = [round(float(v), 6) for v in model.coef_[0]]
        intercepts[key] = round(float(model.intercept_[0]), 6)
    return Calibrator(embedder, coefficients, intercepts, 0.5, meta or {})
