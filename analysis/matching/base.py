"""The matcher interface: per policy item a score, evidence spans and where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from analysis.corpus.schema import Framework
from analysis.document import Document
from analysis.matching.features import Features
from analysis.result import Evidence


@dataclass
class ItemScore:
    """One matcher's view of one item. ``features`` are exactly the calibrator inputs the matcher declares;
    the combined matcher's ``contributions`` hold each registered matcher's raw score by matcher name."""

    item: str
    score: float
    evidence: list[Evidence]
    matcher: str
    features: Features = field(default_factory=dict)
    contributions: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """Each matcher's view of one item of one framework, for ``policyalign explain``."""

    framework: Framework
    lexical: ItemScore
    semantic: ItemScore
    combined: ItemScore


class Matcher(Protocol):
    """Lexical, semantic and combined matchers all look like this."""

    name: str

    def score(self, document: Document, framework: Framework) -> list[ItemScore]: ...


def top_evidence(candidates: list[Evidence], limit: int) -> list[Evidence]:
    """Best-scoring evidence first, one entry per sentence span."""
    seen: set[tuple[int, int]] = set()
    out: list[Evidence] = []
    for evidence in sorted(candidates, key=lambda e: (-e.score, e.start)):
        if (evidence.start, evidence.end) in seen:
            continue
        seen.add((evidence.start, evidence.end))
        out.append(evidence)
        if len(out) == limit:
            break
    return out
