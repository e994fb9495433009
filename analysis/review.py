"""An officer's review of one analysis: accept, reject or replace each suggestion, and what then holds.

Pure functions over the result contract, shared by the store (validation), the memo and the feedback
export, so "confirmed" means the same thing everywhere: accepted or replaced by the officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from analysis.corpus.schema import FACT_FIELDS, FRAMEWORK_KINDS
from analysis.result import AnalysisResult, PerspectiveStatus

Decision = Literal["accept", "reject", "replace"]
FRAMEWORK_TARGETS = FRAMEWORK_KINDS
FACT_TARGETS = FACT_FIELDS
PERSPECTIVE_PREFIX = "perspective:"


class DecisionIn(BaseModel):
    """One decision on one suggestion. ``value`` only with ``replace``: an item id (null for an orientation
    means 'none fits'), a perspective status, an amount in SEK, a share in percent or {start, end}."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"target": "amount_sek", "decision": "replace", "value": 1200000, "comment": "Enligt budgeten"},
        {"target": "perspective:miljo", "decision": "reject"}]})

    target: str = Field(max_length=100, description="rus | national | orientation | perspective:<id> | amount_sek | "
                                                    "share_percent | period")
    decision: Decision = Field(description="accept keeps the suggestion, reject drops it, replace swaps in `value`")
    value: Any = Field(default=None, description="Only with replace: item id (null for an orientation = none fits), "
                       "perspective status, amount in SEK, share in percent or {start, end}")
    comment: str | None = Field(default=None, max_length=2000, description="The officer's reason, shown in the memo")


class PeriodValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: date | None = None
    end: date | None = None


class AmountValue(BaseModel):
    value: int = Field(ge=0, le=10**12)


class ShareValue(BaseModel):
    value: float = Field(ge=0, le=100)

    @field_validator("value")
    @classmethod
    def _round(cls, value: float) -> float:
        return round(value, 2)


class StatusValue(BaseModel):
    value: PerspectiveStatus


def targets_of(result: AnalysisResult) -> list[str]:
    """Every target an officer can decide on for this result."""
    kinds = [kind for kind in FRAMEWORK_TARGETS if kind in _framework_kinds(result)]
    return [*kinds, *(PERSPECTIVE_PREFIX + p.id for p in result.perspectives), *FACT_TARGETS]


def _framework_kinds(result: AnalysisResult) -> dict[str, str]:
    """Framework kind → framework id, from the ids the result carries (the corpus names the kind)."""
    kinds: dict[str, str] = {}
    for alignment in result.alignments:
        kind = framework_kind(alignment.framework)
        kinds.setdefault(kind, alignment.framework)
    return kinds


def framework_kind(framework_id: str) -> str:
    """The kind of a framework id; the corpus's naming ('…-rus-…', 'nationell-…', '…-anslag-…')."""
    from analysis.corpus import cached_corpus
    from analysis.settings import get_settings

    corpus = cached_corpus(str(get_settings().corpus_dir))
    return next((f.kind for f in corpus.frameworks if f.id == framework_id), framework_id)


def normalise_value(result: AnalysisResult, decision: DecisionIn) -> Any:
    """The replacement value checked against the analysis, in its JSON form; raises ValueError."""
    if decision.decision != "replace":
        if decision.value is not None:
            raise ValueError(f"{decision.target}: a value goes only with 'replace'")
        return None
    target = decision.target
    try:
        if target in FRAMEWORK_TARGETS:
            return _item_value(result, target, decision.value)
        if target.startswith(PERSPECTIVE_PREFIX):
            return StatusValue(value=decision.value).value
        if target == "amount_sek":
            return AmountValue(value=decision.value).value
        if target == "share_percent":
            return ShareValue(value=decision.value).value
        if target == "period":
            period = PeriodValue.model_validate(decision.value)
            return period.model_dump(mode="json")
    except ValidationError as error:
        raise ValueError(f"{target}: {error.errors()[0]['msg']}") from None
    raise ValueError(f"unknown target {target!r}")


def _item_value(result: AnalysisResult, kind: str, value: Any) -> str | None:
    if value is None and kind == "orientation":
        return None
    items = {a.item for a in result.alignments if framework_kind(a.framework) == kind}
    if not isinstance(value, str) or value not in items:
        raise ValueError(f"{kind}: {value!r} is not an item of the region's {kind} framework")
    return value


def check_targets(result: AnalysisResult, decisions: list[DecisionIn]) -> None:
    known = set(targets_of(result))
    for decision in decisions:
        if decision.target not in known:
            raise ValueError(f"unknown target {decision.target!r}; this analysis has: {', '.join(sorted(known))}")


@dataclass(frozen=True)
class Reviewed:
    """One target after review: what the analysis suggested, what holds now, and whether a person said so."""

    target: str
    suggested: Any
    value: Any
    confirmed: bool
    decision: Decision | None
    comment: str | None


def suggestions(result: AnalysisResult) -> dict[str, Any]:
    """The analysis's own value for each target, in the JSON form a review replaces."""
    out: dict[str, Any] = {}
    for kind in FRAMEWORK_TARGETS:
        ranked = [a for a in result.alignments if framework_kind(a.framework) == kind]
        if ranked:
            top = min(ranked, key=lambda a: a.rank)
            out[kind] = top.item if top.match else None
    for perspective in result.perspectives:
        out[PERSPECTIVE_PREFIX + perspective.id] = perspective.status
    facts = result.facts
    out["amount_sek"] = facts.amount_sek
    out["share_percent"] = facts.share_percent
    out["period"] = facts.period.model_dump(mode="json")
    return out


def reviewed(result: AnalysisResult, review: dict[str, dict]) -> dict[str, Reviewed]:
    """Every target with the officer's decision applied: accept keeps, replace swaps, reject leaves nothing."""
    out = {}
    for target, suggested in suggestions(result).items():
        entry = review.get(target)
        decision = entry.get("decision") if entry else None
        by_decision: dict[str | None, Any] = {
            "accept": suggested,
            "replace": (entry or {}).get("value"),
            "reject": None,
        }
        value = by_decision.get(decision, suggested)
        out[target] = Reviewed(target, suggested, value, decision in ("accept", "replace"), decision,
                               (entry or {}).get("comment"))
    return out
