"""Every read and write of cases, analyses and reviews; each public function is one transaction."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, cast, overload

from sqlalchemy import CursorResult, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from analysis.result import AnalysisResult
from analysis.review import DecisionIn, check_targets, normalise_value
from analysis.store.db import Store
from analysis.store.errors import (
    CaseNotFoundError,
    DuplicateCaseError,
    InvalidCursorError,
    InvalidReviewError,
    StaleReviewError,
)
from analysis.store.models import Analysis, Case, ReviewAudit, now

CaseStatus = Literal["open", "reviewed", "closed"]
CaseSort = Literal["recent", "attention"]
SEVERITY_WEIGHT = {"error": 3, "warning": 2, "info": 0}


def attention_of(result: AnalysisResult) -> int:
    """How much an officer should look first: rule errors and warnings, required perspectives that are
    absent or thin, and an amount the text does not state."""
    score = sum(SEVERITY_WEIGHT[f.severity] for f in result.findings)
    score += sum({"absent": 2, "thin": 1}.get(p.status, 0) for p in result.perspectives if p.required)
    return score + (result.facts.amount_sek is None)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@overload
def utc(stamp: datetime) -> datetime: ...


@overload
def utc(stamp: None) -> None: ...


def utc(stamp: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stamp written is UTC."""
    return stamp.replace(tzinfo=UTC) if stamp is not None and stamp.tzinfo is None else stamp


def needs_attention():
    """A case needs attention while its latest analysis has something flagged and no officer has reviewed it."""
    return and_(Case.attention > 0, Case.status == "open")


@dataclass(frozen=True)
class CaseFilter:
    dnr: str | None = None
    region: str | None = None
    status: CaseStatus | None = None
    needs_attention: bool | None = None


@dataclass(frozen=True)
class ReviewState:
    """A saved review, named like the Analysis columns so one serializer serves both."""

    id: int
    review_version: int
    review: dict[str, Any]
    reviewed_by: str | None
    reviewed_at: datetime | None


@dataclass(frozen=True)
class Page:
    items: list[Case]
    next_cursor: str | None


def _encode_cursor(case: Case, sort: CaseSort) -> str:
    key = [case.attention, case.id] if sort == "attention" else [case.id]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: CaseSort) -> list[int]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise InvalidCursorError("the cursor is not one this API gave out") from None
    if not (isinstance(key, list) and len(key) == (2 if sort == "attention" else 1)
            and all(isinstance(k, int) and 0 <= k < 2**62 for k in key)):
        raise InvalidCursorError("the cursor does not fit this sort order")
    return key


class Repository:
    """The store's operations in domain words; the API, CLI and tests call these, never raw SQL."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ---- cases --------------------------------------------------------------------------------
    def create_case(self, *, title: str, created_by: str, dnr: str | None = None, applicant: str | None = None,
                    region: str | None = None) -> Case:
        case = Case(dnr=dnr, title=title, applicant=applicant, region=region, status="open", attention=0,
                    analysis_count=0, created_by=created_by)
        try:
            with self.store.session() as session:
                session.add(case)
        except IntegrityError:
            raise DuplicateCaseError(f"a case with diarienummer {dnr!r} exists already") from None
        return case

    def get_case(self, case_id: int, *, with_analyses: bool = False) -> tuple[Case, list[Analysis]]:
        with self.store.session() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise CaseNotFoundError(f"no case {case_id}")
            query = select(Analysis).where(Analysis.case_id == case_id).order_by(Analysis.id)
            analyses = list(session.scalars(query)) if with_analyses else []
            return case, analyses

    def case_by_dnr(self, dnr: str) -> Case | None:
        with self.store.session() as session:
            return session.scalar(select(Case).where(Case.dnr == dnr))

    def set_status(self, case_id: int, status: CaseStatus) -> Case:
        with self.store.session() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise CaseNotFoundError(f"no case {case_id}")
            case.status, case.updated_at = status, now()
            return case

    def list_cases(self, filters: CaseFilter, *, cursor: str | None = None, limit: int = 50,
                   sort: CaseSort = "recent") -> Page:
        """Keyset pagination: the cursor is the last row's sort key, so page n costs what page 1 does."""
        query = select(Case)
        if filters.dnr:
            query = query.where(Case.dnr == filters.dnr)
        if filters.region:
            query = query.where(Case.region == filters.region)
        if filters.status:
            query = query.where(Case.status == filters.status)
        if filters.needs_attention is not None:
            query = query.where(needs_attention() if filters.needs_attention else ~needs_attention())
        if sort == "attention":
            if cursor:
                attention, last = _decode_cursor(cursor, sort)
                query = query.where(or_(Case.attention < attention, and_(Case.attention == attention, Case.id < last)))
            query = query.order_by(Case.attention.desc(), Case.id.desc())
        else:
            if cursor:
                query = query.where(Case.id < _decode_cursor(cursor, sort)[0])
            query = query.order_by(Case.id.desc())
        with self.store.session() as session:
            rows = list(session.scalars(query.limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows, _encode_cursor(rows[-1], sort) if more and rows else None)

    def count_cases(self) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(Case)) or 0

    # ---- analyses -----------------------------------------------------------------------------
    def add_analysis(self, case_id: int, result: AnalysisResult, *, text: str | None, created_by: str,
                     input_name: str | None = None) -> Analysis:
        """Stores the result (without the text inside it) and, when the settings allow, the text."""
        stored = result.model_copy(update={"document": result.document.model_copy(update={"text": None})})
        analysis = Analysis(
            input_name=input_name, text_sha256=text_hash(text) if text is not None else None,
            text=text if self.store.settings.store_text else None,
            result=stored.model_dump(mode="json"), corpus=result.versions.corpus,
            software_version=result.versions.software, models=result.versions.models, region=result.versions.region,
            created_by=created_by, review={}, review_version=0, reviewed=False)
        with self.store.session() as session:
            case = session.get(Case, case_id, with_for_update=True)
            if case is None:
                raise CaseNotFoundError(f"no case {case_id}")
            analysis.case_id = case_id
            session.add(analysis)
            session.flush()
            case.latest_analysis_id, case.analysis_count = analysis.id, case.analysis_count + 1
            case.attention, case.updated_at = attention_of(result), now()
            case.region = case.region or result.versions.region
            if case.status == "reviewed":
                case.status = "open"
        return analysis

    def get_analysis(self, analysis_id: int) -> Analysis:
        with self.store.session() as session:
            analysis = session.get(Analysis, analysis_id)
            if analysis is None:
                raise CaseNotFoundError(f"no analysis {analysis_id}")
            return analysis

    def audit(self, analysis_id: int) -> list[ReviewAudit]:
        self.get_analysis(analysis_id)
        with self.store.session() as session:
            return list(session.scalars(select(ReviewAudit).where(ReviewAudit.analysis_id == analysis_id)
                                        .order_by(ReviewAudit.id)))

    # ---- reviews ------------------------------------------------------------------------------
    def save_review(self, analysis_id: int, version: int, decisions: list[DecisionIn], who: str) -> ReviewState:
        """Applies decisions if ``version`` is still current; one transaction with its audit rows, so a
        crash leaves the old review or the new one. A stale version raises StaleReviewError (409).
        Reads only the columns it needs: the text and the case row are never loaded."""
        with self.store.session() as session:
            row = session.execute(select(Analysis.result, Analysis.review, Analysis.review_version, Analysis.case_id)
                                  .where(Analysis.id == analysis_id)).one_or_none()
            if row is None:
                raise CaseNotFoundError(f"no analysis {analysis_id}")
            if row.review_version != version:
                raise StaleReviewError(f"analysis {analysis_id}'s review is at version {row.review_version}, "
                                       f"not {version}: reload it and decide again")
            review, changes = self._apply(AnalysisResult.model_validate(row.result), dict(row.review), decisions, who)
            stamp = now()
            # The version check again, atomically: a concurrent writer loses here. (An UPDATE's result is a
            # CursorResult, which has rowcount; Session.execute is typed with the general Result.)
            updated = cast(CursorResult[Any], session.execute(
                update(Analysis).where(Analysis.id == analysis_id, Analysis.review_version == version)
                .values(review=review, review_version=version + 1, reviewed=bool(review), reviewed_by=who,
                        reviewed_at=stamp).execution_options(synchronize_session=False)))
            if updated.rowcount != 1:
                raise StaleReviewError(f"analysis {analysis_id}'s review changed while saving: "
                                       "reload it and decide again")
            session.execute(insert(ReviewAudit), [
                {"analysis_id": analysis_id, "target": target, "who": who, "at": stamp, "version": version + 1,
                 "before": before, "after": after} for target, before, after in changes])
            session.execute(update(Case).where(Case.id == row.case_id).values(updated_at=stamp))
            session.execute(update(Case).where(Case.id == row.case_id, Case.latest_analysis_id == analysis_id,
                                               Case.status == "open").values(status="reviewed"))
            return ReviewState(analysis_id, version + 1, review, who, stamp)

    @staticmethod
    def _apply(result: AnalysisResult, review: dict[str, Any], decisions: list[DecisionIn],
               who: str) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
        try:
            check_targets(result, decisions)
            values = [normalise_value(result, d) for d in decisions]
        except ValueError as error:
            raise InvalidReviewError(str(error)) from None
        changes = []
        stamp = now().isoformat()
        for decision, value in zip(decisions, values, strict=True):
            after = {"decision": decision.decision, "value": value, "comment": decision.comment, "by": who, "at": stamp}
            before = review.get(decision.target)
            review[decision.target] = after
            changes.append((decision.target, before, after))
        return review, changes

    # ---- retention ----------------------------------------------------------------------------
    def prune_texts(self, days: int, *, at: datetime | None = None) -> int:
        """Deletes stored texts older than ``days``; hashes and results stay. Returns how many."""
        cutoff = (at or now()) - timedelta(days=days)
        with self.store.session() as session:
            pruned = cast(CursorResult[Any], session.execute(
                update(Analysis).where(Analysis.created_at < cutoff, Analysis.text.is_not(None))
                .values(text=None).execution_options(synchronize_session=False)))
            return pruned.rowcount or 0

    def reviewed_analyses(self, batch: int = 200):
        """Reviewed analyses, oldest first, streamed in batches (for the feedback export and stats)."""
        last = 0
        while True:
            with self.store.session() as session:
                rows = list(session.scalars(select(Analysis).where(Analysis.reviewed.is_(True), Analysis.id > last)
                                            .order_by(Analysis.id).limit(batch)))
            yield from rows
            if len(rows) < batch:
                return
            last = rows[-1].id
