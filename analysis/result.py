"""The result contract (JSON schema_version "1"): what the CLI, the API and bulk rows emit."""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from analysis.corpus.schema import DocumentKind, FactKind, Severity

SCHEMA_VERSION: Final = "1"

PerspectiveStatus = Literal["present", "thin", "absent"]
AmountRole = Literal["requested", "granted", "regional-share", "unknown"]
OFFSETS = ("Offsets count Unicode code points (Python string indices) into document.text, end exclusive; "
           "a JavaScript client converts them, since its strings count UTF-16 code units.")




# ---- Evidence.source: one definition of each name (the contract keeps it a plain string) -------------
def fact_source(fact: FactKind) -> str:
    """The evidence source of a fact's sentence ("facts:share"); rules read a fact's evidence by it."""
    return f"facts:{fact}"


def rule_source(rule_id: str) -> str:
    """The evidence source of a span a rule found itself ("rules:advance-above-limit")."""
    return f"rules:{rule_id}"


def perspective_source(*found: str) -> str:
    """The evidence source of a perspective's quote: the kinds of substance (or the empty sign) in it,
    or a bare mention."""
    return "perspectives:" + (",".join(sorted(found)) or "mention")


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(Contract):
    """A span of the normalised text that supports a score, with where the support came from."""

    model_config = ConfigDict(json_schema_extra={"description": "A span of the normalised text. " + OFFSETS})

    text: str = Field(description="The quoted sentence, as it stands in document.text")
    start: int = Field(ge=0, description="First code point of the span in document.text (code points, not UTF-16)")
    end: int = Field(ge=0, description="Code point just after the span (end exclusive)")
    score: float = Field(description="How strongly this span supports the finding (0–1)")
    source: str = Field(description="The matcher or analyzer that found it, e.g. 'lexical', 'semantic', 'facts'")


class SectionOut(Contract):
    """A section of the document under one heading; offsets in code points."""

    id: str | None = Field(description="Canonical section id from the heading lexicon, or null")
    heading: str | None = Field(description="The heading line as written, or null before the first heading")
    start: int = Field(ge=0, description="First code point of the section in document.text")
    end: int = Field(ge=0, description="Code point just after the section")
    perspectives: list[str] = Field(default_factory=list, description="Perspectives a heading names")


class DocumentOut(Contract):
    """What was read: id, kind, language, sections (and the text when asked for)."""

    id: str = Field(description="Stable id of the document (a hash of its text, or the file name)")
    source: str | None = Field(description="The file name or form title the text came from, if any")
    language: str = Field(description="ISO 639-1 code of the detected language", examples=["sv"])
    kind: DocumentKind = Field(description="decision, application, summary or form, from the shape of the sections")
    char_count: int = Field(ge=0, description="Length of the normalised text in code points")
    sections: list[SectionOut] = Field(description="Sections in document order")
    text: str | None = Field(default=None, description="The normalised text; only with include_text")


class MatcherScore(Contract):
    """One matcher's raw score for an item, before calibration."""

    matcher: str = Field(description="Matcher name, e.g. 'lexical' or 'semantic'")
    score: float = Field(description="The matcher's raw score")


class Alignment(Contract):
    """How well one policy item fits the document, with the sentences that support it."""

    framework: str = Field(description="Framework id from /v1/policies")
    item: str = Field(description="Item id within the framework")
    name: str = Field(description="The item's Swedish name")
    score: float = Field(ge=0, le=1, description="Calibrated probability that the item applies")
    rank: int = Field(ge=1, description="1 = best fitting item of its framework")
    match: bool = Field(
        description="The score passes the item's decision threshold (or the item is the framework's required top)"
    )
    explicit: bool = Field(default=False, description="The text names this item as its own priority; ranked first")
    evidence: list[Evidence] = Field(description="Sentences supporting the item, best first")
    contributions: list[MatcherScore] = Field(default_factory=list, description="Each matcher's raw score")


class PerspectiveOut(Contract):
    """A horizontal perspective (miljö, barn, jämställdhet, …): present, thin or absent, and why."""

    id: str = Field(description="Perspective id from /v1/policies")
    name: str = Field(description="Swedish name")
    required: bool = Field(description="The region requires the applicant to describe it")
    status: PerspectiveStatus = Field(description="present: substance found; thin: named without substance; absent")
    score: float = Field(ge=0, le=1, description="Strength of the substance found")
    reasons: list[str] = Field(description="Swedish sentences an officer can paste into a memo")
    evidence: list[Evidence] = Field(description="Quotes behind the status")
    signals: list[str] = Field(default_factory=list, description="Kinds of substance found")


class Period(Contract):
    """The project period found in the text (ISO dates)."""

    start: date | None = Field(default=None, description="First day of the project period")
    end: date | None = Field(default=None, description="Last day of the project period")



class FactCandidate(Contract):
    """One value the tool considered for a fact, with the ranker's probability and where it stands."""

    fact: FactKind = Field(description="Which fact this is a candidate for")
    probability: float = Field(ge=0, le=1, description="The fact ranker's probability that this is the fact")
    chosen: bool = Field(description="This candidate is the reported fact")
    mention: str = Field(description="The expression as written in the text")
    amount_sek: int | None = Field(default=None, description="The amount in kronor, for an amount candidate")
    share_percent: float | None = Field(default=None, description="The share in percent, for a share candidate")
    start: date | None = Field(default=None, description="The start date, for a period candidate")
    end: date | None = Field(default=None, description="The end date, for a period candidate")
    evidence: Evidence = Field(description="The sentence the candidate was read from")


class Facts(Contract):
    """Amount, share of costs and project period found in the text, with the sentences they came from."""

    amount_sek: int | None = Field(default=None, description="The region's own amount, requested or granted, in kronor")
    amount_role: AmountRole | None = Field(default=None, description="What the amount is, from the words around it")
    share_percent: float | None = Field(default=None, description="The region's share of the project's costs")
    period: Period = Field(default_factory=Period, description="The project period")
    evidence: list[Evidence] = Field(default_factory=list, description="Sentences the facts were read from")
    candidates: list[FactCandidate] = Field(
        default_factory=list,
        description="Up to three values per fact, best first. When a fact is null these are what the tool "
                    "considered and found too uncertain.")


class Finding(Contract):
    """A rule of the förordning or the region's conditions that the document breaks or should check."""

    rule: str = Field(description="Stable rule id from the corpus (rules.yaml)")
    severity: Severity = Field(description="error: breaks a rule; warning: likely a problem; info: check by hand")
    message: str = Field(description="Swedish message for the officer's memo")
    citation: str = Field(description="The legal source or condition the rule comes from")
    evidence: list[Evidence] = Field(
        default_factory=list, description="Sentences the finding rests on (may be empty for something missing)"
    )


class Versions(Contract):
    """What produced the result, so a memo can cite it and a result can be reproduced."""

    software: str = Field(description="policyalign version")
    corpus: str = Field(description="Corpus version: manifest version + content hash (the same name everywhere)")
    region: str = Field(description="Region id the result was computed for")
    models: dict[str, str] = Field(description="Model role (embedder, calibrator) → version")


class AnalysisResult(Contract):
    """The whole analysis of one document (schema_version "1"); evidence offsets are code points."""

    schema_version: Literal["1"] = Field(default=SCHEMA_VERSION, description="Version of this contract")
    document: DocumentOut = Field(description="What was read")
    alignments: list[Alignment] = Field(description="Every item of every framework of the region, ranked per framework")
    perspectives: list[PerspectiveOut] = Field(description="The horizontal perspectives")
    facts: Facts = Field(description="Amount, share and period")
    findings: list[Finding] = Field(description="Rule findings, most severe first")
    versions: Versions = Field(description="Software, corpus, region and model versions")
