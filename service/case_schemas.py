"""Request and response models of /v1/cases and the stored analyses (kept apart from service/schemas.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from analysis.result import AnalysisResult
from analysis.review import DecisionIn
from analysis.store.models import Analysis, Case, ReviewAudit
from analysis.store.repository import CaseStatus, utc


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"dnr": "25RS1234", "title": "Tech-kluster Örebro län", "applicant": "Region Örebro Innovation AB",
         "region": "orebro"}]})

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    dnr: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = Field(
        default=None, description="Diarienummer, unique")
    applicant: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    region: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None


class CasePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: CaseStatus


class CaseOut(BaseModel):
    id: int
    dnr: str | None
    title: str
    applicant: str | None
    region: str | None
    status: CaseStatus
    attention: int = Field(description="How much the latest analysis needs an officer's eye (0 = nothing flagged)")
    needs_attention: bool = Field(description="Something is flagged and the case is open (not yet reviewed)")
    analysis_count: int
    latest_analysis_id: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        return cls(id=case.id, dnr=case.dnr, title=case.title, applicant=case.applicant, region=case.region,
                   status=case.status, attention=case.attention,
                   needs_attention=case.attention > 0 and case.status == "open",
                   analysis_count=case.analysis_count, latest_analysis_id=case.latest_analysis_id,
                   created_by=case.created_by, created_at=utc(case.created_at), updated_at=utc(case.updated_at))


class CasePage(BaseModel):
    items: list[CaseOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class AnalysisSummary(BaseModel):
    id: int
    input_name: str | None
    created_by: str
    created_at: datetime
    corpus_version: str
    reviewed: bool
    review_version: int

    @classmethod
    def of(cls, analysis: Analysis) -> AnalysisSummary:
        return cls(id=analysis.id, input_name=analysis.input_name, created_by=analysis.created_by,
                   created_at=utc(analysis.created_at), corpus_version=analysis.corpus_version,
                   reviewed=analysis.reviewed, review_version=analysis.review_version)


class CaseDetail(CaseOut):
    analyses: list[AnalysisSummary]


class ReviewOut(BaseModel):
    analysis_id: int
    version: int = Field(description="Send it back with the next change; a stale one gets 409")
    decisions: dict[str, dict[str, Any]] = Field(description="target → {decision, value, comment, by, at}")
    reviewed_by: str | None
    reviewed_at: datetime | None

    @classmethod
    def of(cls, analysis: Analysis) -> ReviewOut:
        return cls(analysis_id=analysis.id, version=analysis.review_version, decisions=analysis.review,
                   reviewed_by=analysis.reviewed_by, reviewed_at=utc(analysis.reviewed_at))


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, description="The review version this change was decided on")
    decisions: list[DecisionIn] = Field(min_length=1, max_length=100)


class StoredAnalysis(BaseModel):
    id: int
    case_id: int
    input_name: str | None
    text_sha256: str | None
    text: str | None = Field(description="The normalised text the offsets refer to; null when not stored or pruned")
    created_by: str
    created_at: datetime
    result: AnalysisResult
    review: ReviewOut

    @classmethod
    def of(cls, analysis: Analysis) -> StoredAnalysis:
        return cls(id=analysis.id, case_id=analysis.case_id, input_name=analysis.input_name,
                   text_sha256=analysis.text_sha256, text=analysis.text, created_by=analysis.created_by,
                   created_at=utc(analysis.created_at), result=AnalysisResult.model_validate(analysis.result),
                   review=ReviewOut.of(analysis))


class AuditOut(BaseModel):
    target: str
    who: str
    at: datetime
    version: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, row: ReviewAudit) -> AuditOut:
        return cls(target=row.target, who=row.who, at=utc(row.at), version=row.version, before=row.before,
                   after=row.after)


SortParam = Literal["recent", "attention"]
