"""The result contract (JSON schema_version "1"): what the CLI, the API and bulk rows emit."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

PerspectiveStatus = Literal["present", "thin", "absent"]


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(Contract):
    """A span of the normalised text that supports a score, with where the support came from."""

    text: str
    start: int
    end: int
    score: float
    source: str = Field(description="The matcher or analyser that found it, e.g. 'lexical', 'semantic', 'facts'")


class SectionOut(Contract):
    id: str | None = Field(description="Canonical section id from the heading lexicon, or null")
    heading: str | None
    start: int
    end: int
    perspectives: list[str] = Field(default_factory=list, description="Perspectives a heading names")


class DocumentOut(Contract):
    id: str
    source: str | None
    language: str
    kind: Literal["decision", "application", "summary", "form"]
    char_count: int
    sections: list[SectionOut]
    text: str | None = Field(default=None, description="The normalised text; only with include_text")


class MatcherScore(Contract):
    matcher: str
    score: float


class Alignment(Contract):
    framework: str
    item: str
    name: str
    score: float = Field(ge=0, le=1, description="Calibrated probability that the item applies")
    rank: int = Field(ge=1)
    match: bool
    explicit: bool = Field(default=False, description="The text names this item as its own priority; ranked first")
    evidence: list[Evidence]
    contributions: list[MatcherScore] = Field(default_factory=list, description="Each matcher's raw score")


class PerspectiveOut(Contract):
    id: str
    name: str
    required: bool
    status: PerspectiveStatus
    score: float = Field(ge=0, le=1)
    reasons: list[str]
    evidence: list[Evidence]
    signals: list[str] = Field(default_factory=list, description="Kinds of substance found")


class Period(Contract):
    start: date | None = None
    end: date | None = None


AmountRole = Literal["requested", "granted", "regional-share", "unknown"]
FactName = Literal["amount", "share", "period"]


class FactCandidate(Contract):
    """One value the tool considered for a fact, with the ranker's probability and where it stands."""

    fact: FactName
    probability: float = Field(ge=0, le=1, description="The fact ranker's probability that this is the fact")
    chosen: bool = Field(description="This candidate is the reported fact")
    mention: str = Field(description="The expression as written in the text")
    amount_sek: int | None = None
    share_percent: float | None = None
    start: date | None = None
    end: date | None = None
    evidence: Evidence


class Facts(Contract):
    amount_sek: int | None = Field(default=None, description="The region's own amount, requested or granted, in kronor")
    amount_role: AmountRole | None = Field(default=None, description="What the amount is, from the words around it")
    share_percent: float | None = Field(default=None, description="The region's share of the project's costs")
    period: Period = Field(default_factory=Period)
    evidence: list[Evidence] = Field(default_factory=list)
    candidates: list[FactCandidate] = Field(
        default_factory=list,
        description="Up to three values per fact, best first. When a fact is null these are what the tool "
                    "considered and found too uncertain.")


class Finding(Contract):
    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    citation: str
    evidence: list[Evidence] = Field(default_factory=list)


class Versions(Contract):
    software: str
    corpus: str
    region: str
    models: dict[str, str]


class AnalysisResult(Contract):
    schema_version: Literal["1"] = SCHEMA_VERSION
    document: DocumentOut
    alignments: list[Alignment]
    perspectives: list[PerspectiveOut]
    facts: Facts
    findings: list[Finding]
    versions: Versions
