"""POST /v1/analyses (text or fields), /v1/analyses/file (upload), /v1/analyses/batch."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from analysis.errors import DocumentTooLargeError, PolicyAlignError, UnsupportedMediaTypeError
from analysis.ingest import READERS
from analysis.pipeline import Analyzer
from analysis.result import AnalysisResult
from service.limits import run_analysis
from service.problems import Problem, problem_of
from service.schemas import AnalysisRequest, BatchItem, BatchRequest, BatchResponse
from service.security import require_api_key

ERRORS = {code: {"model": Problem, "content": {"application/problem+json": {}}} for code in (400, 401, 408, 413, 415, 422, 503)}
router = APIRouter(prefix="/v1", tags=["analyses"], dependencies=[Depends(require_api_key)], responses=ERRORS)


def _analyse_request(analyzer: Analyzer, body: AnalysisRequest) -> AnalysisResult:
    """Runs in a worker thread: CPU-bound work never blocks the event loop (/healthz keeps answering)."""
    limit = analyzer.settings.max_text_chars
    raw_length = len(body.text or "") + sum(len(k) + len(v) for k, v in (body.fields or {}).items())
    if raw_length > limit:
        raise DocumentTooLargeError(f"the text has {raw_length} characters; the limit is {limit}")
    source = analyzer.read_text(body.text) if body.text is not None else analyzer.read_fields(body.fields or {}, body.title)
    return analyzer.analyze(source, region=body.region, include_text=body.include_text)


def _record(request: Request, result: AnalysisResult | None) -> None:
    metrics = request.app.state.metrics
    metrics.analyses.labels("ok" if result else "error").inc()
    if result:
        for finding in result.findings:
            metrics.findings.labels(finding.rule).inc()
        for perspective in result.perspectives:
            metrics.perspectives.labels(perspective.id, perspective.status).inc()


async def _run(request: Request, function, *args) -> Response:
    try:
        result = await run_analysis(request, function, *args)
    except PolicyAlignError:
        _record(request, None)
        raise
    _record(request, result)
    # The result is already a validated AnalysisResult: serialise it once instead of re-validating it.
    return Response(result.model_dump_json(), media_type="application/json")


@router.post("/analyses", response_model=AnalysisResult, summary="Analyse a text or intake-form fields")
async def analyse(request: Request, body: AnalysisRequest) -> Response:
    return await _run(request, _analyse_request, request.app.state.analyzer, body)


@router.post("/analyses/file", response_model=AnalysisResult, summary="Analyse an uploaded PDF, DOCX or TXT file")
async def analyse_file(
    request: Request,
    file: UploadFile = File(description="PDF, DOCX or plain-text file"),
    region: str | None = Form(default=None),
    include_text: bool = Form(default=False),
) -> Response:
    filename = Path(file.filename or "upload").name
    if Path(filename).suffix.lower() not in READERS:
        raise UnsupportedMediaTypeError(f"unsupported file type {Path(filename).suffix or '(none)'!r}; use .txt, .pdf or .docx",
                                        source=filename)
    data = await file.read()
    analyzer: Analyzer = request.app.state.analyzer

    def work() -> AnalysisResult:
        return analyzer.analyze(analyzer.read_upload(data, filename), region=region, include_text=include_text)

    return await _run(request, work)


@router.post("/analyses/batch", response_model=BatchResponse, summary="Analyse several short texts in one call")
async def analyse_batch(request: Request, body: BatchRequest) -> BatchResponse:
    analyzer: Analyzer = request.app.state.analyzer
    limit = analyzer.settings.max_batch_items
    if len(body.items) > limit:
        raise DocumentTooLargeError(f"the batch has {len(body.items)} items; the limit is {limit}")

    def work() -> list[BatchItem]:
        out = []
        for index, item in enumerate(body.items):
            try:
                out.append(BatchItem(index=index, status="ok", result=_analyse_request(analyzer, item)))
            except PolicyAlignError as error:
                out.append(BatchItem(index=index, status="error", error=problem_of(error)))
        return out

    items = await run_analysis(request, work)
    for item in items:
        _record(request, item.result)
    return BatchResponse(results=items)
