"""POST /v1/analyses (text or fields), /v1/analyses/file (upload), /v1/analyses/batch."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from analysis.errors import PolicyAlignError
from analysis.result import AnalysisResult
from service.analyzing import analyze_counted
from service.jobs import Answer, BatchJob, Counts, Job, RequestJob, UploadJob, upload_name
from service.limits import run_analysis
from service.problems import PROBLEM_MEDIA_TYPE, Problem, ServiceProblem, problem_of
from service.schemas import AnalysisRequest, BatchItem, BatchRequest, BatchResponse
from service.security import require_api_key

ERROR_MEANING = {400: "Malformed body (e.g. not UTF-8)", 401: "Missing or wrong API key",
                 408: "The body did not arrive in time", 413: "Body, text, batch or file contents too large",
                 415: "Wrong content type or file type",
                 422: "Invalid request, unreadable, empty or non-Swedish document, unknown region, or the input "
                      "needs more memory or time than allowed",
                 503: "Too many analyses running or waiting (see Retry-After)"}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": meaning, "content": {PROBLEM_MEDIA_TYPE: {}}}
    for code, meaning in ERROR_MEANING.items()
}
router = APIRouter(prefix="/v1", tags=["analyses"], dependencies=[Depends(require_api_key)], responses=ERRORS)


async def require_json(request: Request) -> None:
    """JSON routes take JSON only: text/plain or a form is a 415, not a confusing validation error.
    (async, as every dependency here: FastAPI runs a plain ``def`` one in a worker thread.)"""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ServiceProblem(415, "unsupported-media-type",
                             f"send 'Content-Type: application/json' (got {media_type[:100] or 'none'!r})")


async def _respond(request: Request, job: Job[Answer]) -> Response:
    answer = await analyze_counted(request, job)
    # The body was serialised from a validated AnalysisResult where the analysis ran: sent as it is.
    return Response(answer.body, media_type="application/json")


@router.post("/analyses", response_model=AnalysisResult, summary="Analyze a text or intake-form fields",
             dependencies=[Depends(require_json)])
async def analyze(request: Request, body: AnalysisRequest) -> Response:
    return await _respond(request, RequestJob(body))


@router.post("/analyses/file", response_model=AnalysisResult, summary="Analyze an uploaded PDF, DOCX or TXT file")
async def analyze_file(
    request: Request,
    file: UploadFile = File(description="PDF, DOCX or plain-text file"),
    region: str | None = Form(default=None, max_length=100, description="Region id (default: the corpus's)"),
    include_text: bool = Form(default=False, description="Return the normalised text that offsets refer to"),
) -> Response:
    filename = upload_name(file.filename)
    return await _respond(request, UploadJob(await file.read(), filename, region, include_text))


@router.post("/analyses/batch", response_model=BatchResponse, summary="Analyze several short texts in one call",
             dependencies=[Depends(require_json)],
             responses={207: {"model": BatchResponse, "description": "Multi-Status: at least one item failed; each "
                              "item carries its own status and problem"}})
async def analyze_batch(request: Request, body: BatchRequest) -> Response:
    """200 when every item succeeded; 207 Multi-Status when any failed (each item says how)."""
    limit = request.app.state.settings.max_batch_items
    if len(body.items) > limit:
        raise ServiceProblem(413, "too-many-items", f"the batch has {len(body.items)} items; the limit is {limit}")
    outcomes = await run_analysis(request, BatchJob(tuple(body.items)))
    items = []
    for index, (item, outcome) in enumerate(zip(body.items, outcomes, strict=True)):
        if isinstance(outcome, PolicyAlignError):
            items.append(BatchItem(index=index, ref=item.ref, status="error", error=problem_of(outcome, request)))
            request.app.state.metrics.record_analysis(None)
        else:
            items.append(BatchItem(index=index, ref=item.ref, status="ok", result=outcome))
            request.app.state.metrics.record_analysis(Counts.of(outcome))
    status = 200 if all(item.status == "ok" for item in items) else 207
    return Response(BatchResponse(results=items).model_dump_json(), status_code=status,
                    media_type="application/json")
