"""The matcher registry: every matcher registers by name with the calibrator features it reports.

As spaCy components and presidio recognizers do, a new matcher is one class with
``@register("name")`` and a ``features`` tuple (members of ``Feature``, features.py);
the calibrator's inputs are derived from what is registered (in registration order),
so adding a matcher is the class, its feature names and a refit
(`policyalign models calibrate`), with no list to edit elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol, TypeVar

from analysis.corpus.schema import Framework
from analysis.document import Document
from analysis.matching.base import ItemScore
from analysis.matching.features import Feature


class RegisteredMatcher(Protocol):
    name: ClassVar[str]
    features: ClassVar[tuple[Feature, ...]]  # what it reports to the calibrator, as ItemScore.features keys
    score_range: ClassVar[tuple[float, float]]  # the raw ItemScore.score it can give, closed interval

    def score(self, document: Document, framework: Framework) -> list[ItemScore]: ...


MATCHERS: dict[str, type] = {}
M = TypeVar("M", bound=type)


def register(name: str) -> Callable[[M], M]:
    def add(cls: M) -> M:
        if name in MATCHERS and MATCHERS[name] is not cls:
            raise ValueError(f"a matcher named {name!r} is registered already")
        cls.name = name  # type: ignore[attr-defined]
        MATCHERS[name] = cls
        return cls

    return add


def registered() -> dict[str, type]:
    """Every registered matcher by name, built-ins first (registration order)."""
    _load_builtins()
    return dict(MATCHERS)


def calibrator_features() -> tuple[Feature, ...]:
    """Every registered matcher's features, in registration order: the calibrator's input vector."""
    features = tuple(feature for cls in registered().values() for feature in cls.features)  # type: ignore[attr-defined]
    if len(set(features)) != len(features):
        raise ValueError(f"two registered matchers report the same feature: {[str(f) for f in features]}")
    return features


def _load_builtins() -> None:
    """The built-in matchers register on import; importing them here fixes their order."""
    from analysis.matching import lexical, semantic, supervised  # noqa: F401
