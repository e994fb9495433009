"""/v1/cases (cases, their analyses, compare) and /v1/analyses/{id} (stored analysis, review, audit, memo).

Analysis itself goes through the same helpers as POST /v1/analyses; this module adds only storage.
Database calls are short and synchronous, so they run in the thread pool, off the event loop.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from analysis.compare import Comparison, compare
from analysis.result import AnalysisResult
from analysis.store.errors import CaseNotFoundError
from analysis.store.repository import CaseFilter, CaseStatus, Repository
from service.case_schemas import (
    AnalysisSummary,
    AuditOut,
    CaseDetail,
    CaseIn,
    CaseOut,
    CasePage,
    CasePatch,
    ReviewIn,
    ReviewOut,
    SortParam,
    StoredAnalysis,
)
from service.problems import PROBLEM_MEDIA_TYPE, Problem
from service.analyzing import analyze_counted
from service.jobs import Answer, Job, RequestJob, UploadJob, upload_name
from service.schemas import AnalysisRequest
from service.security import require_api_key

WEB = Path(__file__).resolve().parent.parent / "web"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ERROR_MEANING = {
    401: "Missing or wrong API key",
    404: "No case or analysis with that id (or the analysis belongs to another case)",
    409: "duplicate-case: the diarienummer is taken; stale-version: the review changed since it was read",
    413: "Body or text too large",
    415: "Wrong content type or file type",
    422: "Invalid request, review decision, cursor or region; unreadable, empty or non-Swedish document",
    503: "The database needs 'policyalign db upgrade'"}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": meaning, "content": {PROBLEM_MEDIA_TYPE: {}}}
    for code, meaning in ERROR_MEANING.items()
}
router = APIRouter(prefix="/v1", tags=["cases"], dependencies=[Depends(require_api_key)], responses=ERRORS)
page_router = APIRouter(include_in_schema=False)


async def repository(request: Request) -> Repository:
    return request.app.state.repository


async def current_user(request: Request) -> str:
    """Who is acting: the trusted proxy's header when configured, else the API key's name."""
    settings = request.app.state.settings
    if settings.user_header and (name := request.headers.get(settings.user_header, "").strip()):
        return name[:200]
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        for name, key in settings.named_api_keys.items():
            if hmac.compare_digest(token.encode(), key.encode()):
                return name
        return "api-key"
    return "anonym"


Repo = Annotated[Repository, Depends(repository)]
MAX_ID = 2**62  # ids beyond what a BIGINT holds are refused as 422, not sent to the database
CaseId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
AnalysisId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
User = Annotated[str, Depends(current_user)]
DnrQuery = Annotated[str | None, Query(max_length=100, description="Only the case with this diarienummer")]
RegionQuery = Annotated[str | None, Query(max_length=100, description="Only cases of this region id")]
StatusQuery = Annotated[CaseStatus | None, Query(description="Only cases with this status")]
AttentionQuery = Annotated[bool | None, Query(description="Only cases that need (true) or do not need (false) "
                                                           "an officer's attention")]
SortQuery = Annotated[SortParam, Query(description="recent: last changed first; attention: most flagged first")]
CursorQuery = Annotated[str | None, Query(max_length=500, description="next_cursor of the previous page")]


async def _db(function, *args, **kwargs):
    return await to_thread.run_sync(lambda: function(*args, **kwargs))


# ---- cases -----------------------------------------------------------------------------------------
@router.get("/cases", response_model=CasePage, summary="List cases (filters, cursor pagination)")
async def list_cases(repo: Repo, dnr: DnrQuery = None, region: RegionQuery = None, status: StatusQuery = None,
                     needs_attention: AttentionQuery = None, sort: SortQuery = "recent", cursor: CursorQuery = None,
                     limit: Annotated[int, Query(ge=1, le=200, description="Cases per page")] = 50) -> CasePage:
    page = await _db(repo.list_cases, CaseFilter(dnr, region, status, needs_attention), cursor=cursor, limit=limit,
                     sort=sort)
    return CasePage(items=[CaseOut.of(c) for c in page.items], next_cursor=page.next_cursor)


@router.post("/cases", response_model=CaseOut, status_code=201, summary="Create a case")
async def create_case(body: CaseIn, repo: Repo, user: User, request: Request) -> CaseOut:
    if body.region is not None:
        request.app.state.corpus.region(body.region)  # unknown-region → 422
    case = await _db(repo.create_case, title=body.title, dnr=body.dnr, applicant=body.applicant, region=body.region,
                     created_by=user)
    return CaseOut.of(case)


@router.get("/cases/{case_id}", response_model=CaseDetail, summary="A case with the history of its analyses")
async def read_case(case_id: CaseId, repo: Repo) -> CaseDetail:
    case, analyses = await _db(repo.get_case, case_id, with_analyses=True)
    return CaseDetail(**CaseOut.of(case).model_dump(), analyses=[AnalysisSummary.of(a) for a in analyses])


@router.patch("/cases/{case_id}", response_model=CaseOut, summary="Change a case's status")
async def patch_case(case_id: CaseId, body: CasePatch, repo: Repo) -> CaseOut:
    return CaseOut.of(await _db(repo.set_status, case_id, body.status))


async def _store(request: Request, repo: Repository, case_id: int, user: str,
                 job: Callable[[str | None], Job[Answer]], input_name: str | None) -> Response:
    """The job is made from the case's region, so a 404 comes before any CPU is spent on the analysis."""
    case, _ = await _db(repo.get_case, case_id)
    result = (await analyze_counted(request, job(case.region))).result()
    analysis = await _db(repo.add_analysis, case_id, result, text=result.document.text or "", created_by=user,
                         input_name=input_name)
    body = StoredAnalysis.of(analysis).model_dump_json()
    return Response(body, status_code=201, media_type="application/json",
                    headers={"Location": f"/v1/analyses/{analysis.id}"})


def _with_text(body: AnalysisRequest, case_region: str | None) -> AnalysisRequest:
    """The store keeps the normalised text (offsets refer to it), so the analysis always returns it; the
    case's region applies unless the request names one."""
    return body.model_copy(update={"include_text": True, "region": body.region or case_region})


@router.post("/cases/{case_id}/analyses", response_model=StoredAnalysis, status_code=201,
             summary="Analyze a text or form fields and store it in the case")
async def add_analysis(case_id: CaseId, body: AnalysisRequest, request: Request, repo: Repo, user: User) -> Response:
    name = body.title if body.fields is not None else None
    return await _store(request, repo, case_id, user, lambda case_region: RequestJob(_with_text(body, case_region)),
                        name)


@router.post("/cases/{case_id}/analyses/file", response_model=StoredAnalysis, status_code=201,
             summary="Analyze an uploaded PDF, DOCX or TXT file and store it in the case")
async def add_analysis_file(case_id: CaseId, request: Request, repo: Repo, user: User,
                            file: Annotated[UploadFile, File(description="PDF, DOCX or plain-text file")],
                            region: Annotated[str | None, Form(max_length=100, description="Region id; default: the "
                                                               "case's region")] = None) -> Response:
    filename = upload_name(file.filename)
    data = await file.read()
    return await _store(request, repo, case_id, user,
                        lambda case_region: UploadJob(data, filename, region or case_region, include_text=True),
                        filename)


@router.get("/cases/{case_id}/compare", response_model=Comparison, summary="What changed between two analyses")
async def compare_analyses(case_id: CaseId, repo: Repo, before: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
                           after: Annotated[int, Query(alias="to", ge=1, le=MAX_ID)]) -> Comparison:
    old, new = await _db(repo.get_analysis, before), await _db(repo.get_analysis, after)
    for analysis in (old, new):
        if analysis.case_id != case_id:
            raise CaseNotFoundError(f"analysis {analysis.id} does not belong to case {case_id}")
    return compare(AnalysisResult.model_validate(old.result), AnalysisResult.model_validate(new.result), old.id, new.id)


# ---- stored analyses -------------------------------------------------------------------------------
@router.get("/analyses/{analysis_id}", response_model=StoredAnalysis, summary="A stored analysis with its review")
async def read_analysis(analysis_id: AnalysisId, repo: Repo) -> Response:
    analysis = await _db(repo.get_analysis, analysis_id)
    return Response(StoredAnalysis.of(analysis).model_dump_json(), media_type="application/json")


@router.put("/analyses/{analysis_id}/review", response_model=ReviewOut,
            summary="Accept, reject or replace suggestions (send the version you read; a stale one gets 409)")
async def save_review(analysis_id: AnalysisId, body: ReviewIn, repo: Repo, user: User) -> ReviewOut:
    return ReviewOut.of(await _db(repo.save_review, analysis_id, body.version, body.decisions, user))


@router.get("/analyses/{analysis_id}/review/audit", response_model=list[AuditOut], summary="Every review change")
async def review_audit(analysis_id: AnalysisId, repo: Repo) -> list[AuditOut]:
    return [AuditOut.of(row) for row in await _db(repo.audit, analysis_id)]


@router.get("/analyses/{analysis_id}/memo.docx", summary="Draft tjänsteskrivelse (DOCX) from the reviewed analysis",
            response_class=Response, responses={200: {"content": {DOCX: {}}}})
async def memo(analysis_id: AnalysisId, repo: Repo) -> Response:
    from analysis.memo import MemoInput, build_memo

    analysis = await _db(repo.get_analysis, analysis_id)
    case, _ = await _db(repo.get_case, analysis.case_id)
    data = await to_thread.run_sync(build_memo, MemoInput.of_stored(analysis, case))
    # The diarienummer is user input: only safe ASCII goes into the header.
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", f"tjansteskrivelse-{case.dnr or case.id}-{analysis.id}") + ".docx"
    return Response(data, media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@page_router.get("/cases")
async def cases_page() -> FileResponse:
    return FileResponse(WEB / "cases.html")


@page_router.get("/cases/labels.json")
async def labels_json() -> dict[str, dict[str, str]]:
    """The one Swedish label table, for the cases page."""
    from analysis.labels import labels

    return labels()
