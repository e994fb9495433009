"""The analysis calls every route shares: a request body or an upload to a result, run off the event loop
under the request deadline and counted in the metrics. Routes add only HTTP shape (and storage)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request

from analysis.errors import DocumentTooLargeError, PolicyAlignError, UnsupportedMediaTypeError
from analysis.ingest import READERS
from analysis.pipeline import Analyzer
from analysis.result import AnalysisResult
from service.limits import run_analysis
from service.schemas import AnalysisRequest


def analyze_request(analyzer: Analyzer, body: AnalysisRequest) -> AnalysisResult:
    """Text or intake-form fields to a result; runs in a worker thread (CPU-bound work never blocks the loop)."""
    limit = analyzer.settings.max_text_chars
    raw_length = len(body.text or "") + sum(len(k) + len(v) for k, v in (body.fields or {}).items())
    if raw_length > limit:
        raise DocumentTooLargeError(f"the text has {raw_length} characters; the limit is {limit}")
    source = (
        analyzer.read_text(body.text) if body.text is not None else analyzer.read_fields(body.fields or {}, body.title)
    )
    return analyzer.analyze(source, region=body.region, include_text=body.include_text)


def upload_name(filename: str | None) -> str:
    """The uploaded file's base name, refused (415) before its bytes are read when no reader takes its type."""
    name = Path(filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        raise UnsupportedMediaTypeError(f"unsupported file type {suffix or '(none)'!r}; use .txt, .pdf or .docx",
                                        source=name)
    return name


async def analyze_counted(request: Request, function: Callable[..., AnalysisResult], *args: Any) -> AnalysisResult:
    """Run one analysis under the request deadline and count its outcome (ok or error) in the metrics."""
    metrics = request.app.state.metrics
    try:
        result: AnalysisResult = await run_analysis(request, function, *args)
    except PolicyAlignError:
        metrics.record_analysis(None)
        raise
    metrics.record_analysis(result)
    return result
