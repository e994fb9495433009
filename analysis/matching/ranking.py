"""The product's one ordering of policy items, used by the pipeline and by evaluation alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analysis.matching.calibration import Calibrator

NAME_MENTION_KEY = "name_mention"


def is_explicit(features: Mapping[str, float]) -> bool:
    """The text names the item as its own priority (not as an extra after "även")."""
    return features.get(NAME_MENTION_KEY, 0.0) >= 1.0


def rank(features: Mapping[str, Mapping[str, float]], calibrator: Calibrator,
         kind: str) -> list[tuple[str, float, bool]]:
    """(item, probability, explicit), explicitly named items first, then by calibrated probability."""
    scored = [(item, calibrator.probability(kind, dict(f), item), is_explicit(f)) for item, f in features.items()]
    return sorted(scored, key=lambda t: (-t[2], -t[1]))


def order(scores: Iterable[tuple[str, float, bool]]) -> list[tuple[str, float, bool]]:
    """The same ordering for scores already calibrated."""
    return sorted(scores, key=lambda t: (-t[2], -t[1]))
