"""The analyses routes ask for, as jobs: small picklable values that run against an Analyzer.

A job carries only its input (a validated body, an upload's bytes), never the analyzer, so the same job
runs in this process's threads or in an analysis process (service/runners.py). Routes add only HTTP
shape (and storage); the core does the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from analysis.errors import DocumentTooLargeError, PolicyAlignError, UnsupportedMediaTypeError
from analysis.ingest import READERS
from analysis.pipeline import Analyzer
from analysis.result import AnalysisResult
from service.schemas import AnalysisRequest

T_co = TypeVar("T_co", covariant=True)


class Job(Protocol[T_co]):
    """One unit of analysis work; must pickle (it may cross to an analysis process)."""

    def __call__(self, analyzer: Analyzer) -> T_co: ...


@dataclass(frozen=True)
class Counts:
    """What the metrics count of one analysis: the rules of its findings, each perspective's status."""

    rules: tuple[str, ...]
    statuses: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, result: AnalysisResult) -> Counts:
        return cls(tuple(f.rule for f in result.findings), tuple((p.id, p.status) for p in result.perspectives))


@dataclass(frozen=True)
class Answer:
    """An analysis as a route sends it: the JSON body, made where the analysis ran, and its counts.

    The result model does not travel back from an analysis process: pickling it there and rebuilding it
    here cost about 1 ms a request, its JSON 0.1 ms. A route that keeps the model (the case store) parses it.
    """

    body: bytes
    counts: Counts

    @classmethod
    def of(cls, result: AnalysisResult) -> Answer:
        return cls(result.model_dump_json().encode(), Counts.of(result))

    def result(self) -> AnalysisResult:
        return AnalysisResult.model_validate_json(self.body)


def analyze_request(analyzer: Analyzer, body: AnalysisRequest) -> AnalysisResult:
    """Text or intake-form fields to a result."""
    limit = analyzer.settings.max_text_chars
    raw_length = len(body.text or "") + sum(len(k) + len(v) for k, v in (body.fields or {}).items())
    if raw_length > limit:
        raise DocumentTooLargeError(f"the text has {raw_length} characters; the limit is {limit}")
    source = (
        analyzer.read_text(body.text) if body.text is not None else analyzer.read_fields(body.fields or {}, body.title)
    )
    return analyzer.analyze(source, region=body.region, include_text=body.include_text)


@dataclass(frozen=True)
class RequestJob:
    """A JSON body: text or intake-form fields."""

    body: AnalysisRequest

    def __call__(self, analyzer: Analyzer) -> Answer:
        return Answer.of(analyze_request(analyzer, self.body))


@dataclass(frozen=True)
class UploadJob:
    """An uploaded PDF, DOCX or TXT file; it is read (in a bounded parser) where it is analysed."""

    data: bytes
    filename: str
    region: str | None
    include_text: bool

    def __call__(self, analyzer: Analyzer) -> Answer:
        source = analyzer.read_upload(self.data, self.filename)
        return Answer.of(analyzer.analyze(source, region=self.region, include_text=self.include_text))


@dataclass(frozen=True)
class BatchJob:
    """Several bodies under one deadline; a refused item is returned as its error, not raised."""

    items: tuple[AnalysisRequest, ...]

    def __call__(self, analyzer: Analyzer) -> list[AnalysisResult | PolicyAlignError]:
        out: list[AnalysisResult | PolicyAlignError] = []
        for item in self.items:
            try:
                out.append(analyze_request(analyzer, item))
            except PolicyAlignError as error:
                out.append(error)
        return out


def upload_name(filename: str | None) -> str:
    """The uploaded file's base name, refused (415) before its bytes are read when no reader takes its type."""
    name = Path(filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        raise UnsupportedMediaTypeError(f"unsupported file type {suffix or '(none)'!r}; use .txt, .pdf or .docx",
                                        source=name)
    return name
