"""Request and response models of /v1/cases and the stored analyses (kept apart from service/schemas.py).

Every model and field carries a description and every request/response model a Swedish example, since the
OpenAPI document is the contract other systems (diarium, e-tjänst) are built against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.config import JsonDict

from analysis.result import AnalysisResult
from analysis.review import Decision, DecisionIn
from analysis.store.models import Analysis, Case, ReviewAudit
from analysis.store.repository import CaseSort, CaseStatus, utc

STAMP = "2026-11-30T09:15:00Z"
CASE_EXAMPLE: JsonDict = {"dnr": "RUN 2025-00123", "title": "Exportlyft för små företag i Örebro län",
                "applicant": "Företagsfabriken i Örebro AB", "region": "orebro"}
CASE_OUT_EXAMPLE: JsonDict = {"id": 42, **CASE_EXAMPLE, "status": "open", "attention": 5, "needs_attention": True,
                    "analysis_count": 2, "latest_analysis_id": 118, "created_by": "handlaggare.anna",
                    "created_at": "2026-11-28T08:02:11Z", "updated_at": STAMP}
SUMMARY_EXAMPLE: JsonDict = {"id": 118, "input_name": "komplettering-2026-11-30.pdf", "created_by": "handlaggare.anna",
                   "created_at": STAMP, "corpus": "2026.11.1+3f2a9c1b", "reviewed": True, "review_version": 1}
SAVED_EXAMPLE: JsonDict = {"decision": "replace", "value": 1200000, "comment": "Enligt budgeten i bilaga 2",
                 "by": "handlaggare.anna", "at": STAMP}
REVIEW_EXAMPLE: JsonDict = {"analysis_id": 118, "version": 1, "decisions": {"amount_sek": SAVED_EXAMPLE},
                  "reviewed_by": "handlaggare.anna", "reviewed_at": STAMP}

CaseStatusField = Field(description="open: not yet reviewed; reviewed: the latest analysis has an officer's "
                        "review; closed: decided, kept for the record")


def _stored_example(schema: dict[str, Any], _model: type) -> None:
    """A stored analysis around the one real result example (loaded lazily: it is a file)."""
    from service.schemas import result_example

    schema["examples"] = [{"id": 118, "case_id": 42, "input_name": "komplettering-2026-11-30.pdf",
                           "text_sha256": "9f2c1e0b7d4a5e3f8c6b1a0d2e4f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f",
                           "text": None, "created_by": "handlaggare.anna", "created_at": STAMP,
                           "result": result_example(), "review": REVIEW_EXAMPLE}]


class CaseIn(BaseModel):
    """A new case (ärende): one application, identified by its diarienummer, analyzed once or several times."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CASE_EXAMPLE]})

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = Field(
        description="The project's title, as the applicant wrote it")
    dnr: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = Field(
        default=None, description="Diarienummer, unique among cases; a second case with it → 409 duplicate-case")
    applicant: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = Field(
        default=None, description="The applying organisation")
    region: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = Field(
        default=None, description="Region id from /v1/policies; the case's analyses use it unless they name one")


class CasePatch(BaseModel):
    """A change of a case's status (the only field an officer changes after creation)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "closed"}]})

    status: CaseStatus = CaseStatusField


class CaseOut(BaseModel):
    """A case as listed: what it is, where it stands and how much its latest analysis needs an officer."""

    model_config = ConfigDict(json_schema_extra={"examples": [CASE_OUT_EXAMPLE]})

    id: int = Field(ge=1, description="The case's id in this service")
    dnr: str | None = Field(description="Diarienummer, or null when none was given")
    title: str = Field(description="The project's title")
    applicant: str | None = Field(description="The applying organisation, if given")
    region: str | None = Field(description="Region id the case's analyses use by default, if given")
    status: CaseStatus = CaseStatusField
    attention: int = Field(ge=0, description="How much the latest analysis needs an officer's eye "
                           "(0 = nothing flagged)")
    needs_attention: bool = Field(description="Something is flagged and the case is open (not yet reviewed)")
    analysis_count: int = Field(ge=0, description="How many analyses the case holds")
    latest_analysis_id: int | None = Field(description="The newest analysis, or null before the first")
    created_by: str = Field(description="Who created the case (proxy user header or API key name)")
    created_at: datetime = Field(description="When the case was created (UTC)")
    updated_at: datetime = Field(description="Last change to the case, its analyses or their reviews (UTC)")

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        return cls(id=case.id, dnr=case.dnr, title=case.title, applicant=case.applicant, region=case.region,
                   status=cast(CaseStatus, case.status), attention=case.attention,
                   needs_attention=case.attention > 0 and case.status == "open",
                   analysis_count=case.analysis_count, latest_analysis_id=case.latest_analysis_id,
                   created_by=case.created_by, created_at=utc(case.created_at), updated_at=utc(case.updated_at))


class CasePage(BaseModel):
    """One page of cases, filtered and sorted as asked."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [CASE_OUT_EXAMPLE],
                                                               "next_cursor": "eyJpZCI6IDQyfQ"}]})

    items: list[CaseOut] = Field(description="The cases of this page, in the requested order")
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class AnalysisSummary(BaseModel):
    """One analysis in a case's history, without its result."""

    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    id: int = Field(ge=1, description="The stored analysis's id (GET /v1/analyses/{id})")
    input_name: str | None = Field(description="The uploaded file's name or the form's title, if any")
    created_by: str = Field(description="Who ran the analysis")
    created_at: datetime = Field(description="When it was run (UTC)")
    corpus: str = Field(description="Corpus version it ran with, as in the result's versions.corpus")
    reviewed: bool = Field(description="An officer has decided on at least one suggestion")
    review_version: int = Field(ge=0, description="The review's version (0 = no decision yet)")

    @classmethod
    def of(cls, analysis: Analysis) -> AnalysisSummary:
        return cls(id=analysis.id, input_name=analysis.input_name, created_by=analysis.created_by,
                   created_at=utc(analysis.created_at), corpus=analysis.corpus,
                   reviewed=analysis.reviewed, review_version=analysis.review_version)


class CaseDetail(CaseOut):
    """A case with the history of its analyses, oldest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**CASE_OUT_EXAMPLE, "analyses": [
        {**SUMMARY_EXAMPLE, "id": 97, "input_name": "ansokan.pdf", "created_at": "2026-11-28T08:03:40Z",
         "reviewed": False, "review_version": 0}, SUMMARY_EXAMPLE]}]})

    analyses: list[AnalysisSummary] = Field(description="Every analysis of the case, oldest first")


class SavedDecision(BaseModel):
    """An officer's decision on one suggestion as stored, with who made it and when."""

    model_config = ConfigDict(json_schema_extra={"examples": [SAVED_EXAMPLE]})

    decision: Decision = Field(description="accept keeps the suggestion, reject drops it, replace swaps in `value`")
    value: Any = Field(default=None, description="The replacement (only with replace), in the target's JSON form")
    comment: str | None = Field(default=None, description="The officer's reason, if given")
    by: str = Field(description="Who decided")
    at: datetime = Field(description="When (UTC)")


class ReviewOut(BaseModel):
    """The current review of one analysis: every decision, and the version to send with the next change."""

    model_config = ConfigDict(json_schema_extra={"examples": [REVIEW_EXAMPLE]})

    analysis_id: int = Field(ge=1, description="The reviewed analysis")
    version: int = Field(ge=0, description="Send it back with the next change; a stale one gets 409 stale-version")
    decisions: dict[str, SavedDecision] = Field(description="Target (rus, national, orientation, perspective:<id>, "
                                                "amount_sek, share_percent, period) → the decision on it")
    reviewed_by: str | None = Field(description="Who saved the last change, or null before any")
    reviewed_at: datetime | None = Field(description="When the last change was saved (UTC), or null before any")

    @classmethod
    def of(cls, analysis: Analysis) -> ReviewOut:
        return cls(analysis_id=analysis.id, version=analysis.review_version, decisions=analysis.review,
                   reviewed_by=analysis.reviewed_by, reviewed_at=utc(analysis.reviewed_at))


class ReviewIn(BaseModel):
    """Decisions on some suggestions, made on the review version the officer read."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"version": 0, "decisions": [
        {"target": "amount_sek", "decision": "replace", "value": 1200000, "comment": "Enligt budgeten i bilaga 2"},
        {"target": "perspective:miljo", "decision": "accept"}]}]})

    version: int = Field(ge=0, description="The review version this change was decided on")
    decisions: list[DecisionIn] = Field(min_length=1, max_length=100, description="The decisions, at most one per "
                                        "target; later ones replace earlier ones")


class StoredAnalysis(BaseModel):
    """An analysis kept in a case: the result exactly as returned then, its text and its review."""

    model_config = ConfigDict(json_schema_extra=_stored_example)

    id: int = Field(ge=1, description="The stored analysis's id")
    case_id: int = Field(ge=1, description="The case it belongs to")
    input_name: str | None = Field(description="The uploaded file's name or the form's title, if any")
    text_sha256: str | None = Field(description="SHA-256 of the normalised text; null when no text was stored")
    text: str | None = Field(description="The normalised text the offsets refer to; null when not stored or pruned")
    created_by: str = Field(description="Who ran the analysis")
    created_at: datetime = Field(description="When it was run (UTC)")
    result: AnalysisResult = Field(description="The analysis result, as POST /v1/analyses returns it")
    review: ReviewOut = Field(description="The officer's review of it")

    @classmethod
    def of(cls, analysis: Analysis) -> StoredAnalysis:
        return cls(id=analysis.id, case_id=analysis.case_id, input_name=analysis.input_name,
                   text_sha256=analysis.text_sha256, text=analysis.text, created_by=analysis.created_by,
                   created_at=utc(analysis.created_at), result=AnalysisResult.model_validate(analysis.result),
                   review=ReviewOut.of(analysis))


class AuditOut(BaseModel):
    """One change of a review: a target's decision before and after, by whom and when."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "target": "amount_sek", "who": "handlaggare.anna", "at": STAMP, "version": 1, "before": None,
        "after": SAVED_EXAMPLE}]})

    target: str = Field(description="The suggestion decided on, as in ReviewIn")
    who: str = Field(description="Who saved the change")
    at: datetime = Field(description="When (UTC)")
    version: int = Field(ge=1, description="The review version the change produced")
    before: SavedDecision | None = Field(description="The decision before, or null if there was none")
    after: SavedDecision | None = Field(description="The decision after")

    @classmethod
    def of(cls, row: ReviewAudit) -> AuditOut:
        return cls(target=row.target, who=row.who, at=utc(row.at), version=row.version,
                   before=_saved(row.before), after=_saved(row.after))


def _saved(decision: dict[str, Any] | None) -> SavedDecision | None:
    """An audit row's stored decision (JSON) as the model it was saved from."""
    return SavedDecision.model_validate(decision) if decision is not None else None


SortParam = CaseSort
