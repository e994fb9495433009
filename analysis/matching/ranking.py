"""The product's one ordering of policy items, used by the pipeline and by evaluation alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from analysis.matching.calibration import Calibrator
from analysis.matching.features import Feature


class Ranked(NamedTuple):
    item: str
    probability: float
    explicit: bool


def is_explicit(features: Mapping[Feature, float]) -> bool:
    """The text names the item as its own priority (not as an extra after "även")."""
    return features.get(Feature.NAME_MENTION, 0.0) >= 1.0


def rank(features: Mapping[str, Mapping[Feature, float]], calibrator: Calibrator,
         framework_kind: str) -> list[Ranked]:
    """Items with their features → (item, probability, explicit), explicitly named items first, then by
    calibrated probability."""
    return order(Ranked(item, calibrator.probability(framework_kind, f), is_explicit(f))
                 for item, f in features.items())


def order(scores: Iterable[tuple[str, float, bool]]) -> list[Ranked]:
    """The same ordering for scores already calibrated."""
    return sorted((Ranked(*score) for score in scores), key=lambda t: (-t.explicit, -t.probability))
