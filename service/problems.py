"""RFC 9457 problem details with stable ``type`` ids: what every 4xx and 5xx looks like.

The ``type`` is an absolute URI on this service (``{base}/problems/{id}``) that resolves to a page
describing the problem. ``title``/``detail`` stay English for integrators; ``title_sv``/``detail_sv``
carry the Swedish text the officer's page shows (one table: analysis/data/labels-sv.yaml).
"""

from __future__ import annotations

import logging
import re
from typing import Literal

from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from analysis.errors import PolicyAlignError
from analysis.labels import sv

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEMS_PATH = "/problems/"
log = logging.getLogger("policyalign.service")

ProblemId = Literal[
    "bad-request", "unauthorized", "not-found", "method-not-allowed", "payload-too-large", "unsupported-media-type",
    "validation-error", "unreadable-document", "empty-document", "language-not-supported", "document-too-large",
    "too-many-items", "unknown-region", "unknown-item", "model-unavailable", "invalid-corpus", "internal-error",
    "conflict", "stale-version", "duplicate-case", "invalid-review", "invalid-cursor", "database-not-migrated",
    "resource-limit", "request-timeout", "overloaded", "not-ready"]

# English title and what it means, for integrators (the problem page and `title`).
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "bad-request": ("Bad request", "The request could not be parsed, e.g. the JSON body is not valid UTF-8."),
    "unauthorized": ("Missing or wrong API key", "Send 'Authorization: Bearer <key>' when the service has API keys."),
    "not-found": ("Not found", "No route at this path."),
    "method-not-allowed": ("Method not allowed", "The route exists but not for this HTTP method."),
    "payload-too-large": ("Payload too large", "The body exceeds POLICYALIGN_MAX_UPLOAD_BYTES (checked while read)."),
    "unsupported-media-type": (
        "Unsupported media type",
        ("JSON routes need 'Content-Type: application/json'; uploads must be .pdf, .docx or .txt."),
    ),
    "validation-error": ("The request is not valid", "A field is missing, wrong or over a limit; see 'errors'."),
    "unreadable-document": ("The document cannot be read", "Corrupt, encrypted or not the format its name says."),
    "empty-document": ("The document is empty", "No text worth analysing (e.g. a scanned PDF without a text layer)."),
    "language-not-supported": ("Language not supported", "Only Swedish texts are analyzed."),
    "document-too-large": ("The text is too long", "The text exceeds POLICYALIGN_MAX_TEXT_CHARS code points."),
    "too-many-items": ("Too many items", "A batch holds more items than POLICYALIGN_MAX_BATCH_ITEMS."),
    "unknown-region": ("Unknown region", "The region id is not in the corpus; GET /v1/policies lists the regions."),
    "unknown-item": ("Unknown framework or item", "The framework or item id is not in the corpus."),
    "model-unavailable": (
        "A model is not available",
        "A model artefact is missing; models never download at run time.",
    ),
    "invalid-corpus": ("The policy corpus is invalid", "The corpus failed validation; the service cannot analyze."),
    "internal-error": ("Internal error", "An unexpected error; it is logged with the request id."),
    "conflict": ("Conflict", "The request conflicts with the stored state."),
    "stale-version": (
        "The review was changed by someone else",
        "Reload the analysis and apply the change to the "
        "current version (optimistic concurrency: send the version you read).",
    ),
    "duplicate-case": ("A case with this diarienummer exists", "Open the existing case instead of creating one."),
    "invalid-review": (
        "The review decision is not valid",
        "The decision or its replacement value does not fit the field.",
    ),
    "invalid-cursor": ("The page cursor is not valid", "Use the cursor from the previous page unchanged."),
    "database-not-migrated": (
        "The database needs an upgrade",
        "Run 'policyalign db upgrade' before starting the service.",
    ),
    "resource-limit": (
        "The input needs more memory or time than allowed",
        "Parsing the file or analysing the text hit "
        "POLICYALIGN_PARSE_MEMORY_MB, POLICYALIGN_PARSE_SECONDS or POLICYALIGN_REQUEST_DEADLINE_SECONDS.",
    ),
    "request-timeout": ("Request timeout", "The body did not arrive within POLICYALIGN_BODY_TIMEOUT_SECONDS."),
    "overloaded": (
        "The service is busy",
        "More analyses are running or waiting than the worker takes; retry after the Retry-After seconds.",
    ),
    "not-ready": ("The worker is not ready", "The worker holds more memory than POLICYALIGN_WORKER_RSS_CEILING_MB."),
}
HTTP_TYPES = {400: "bad-request", 401: "unauthorized", 404: "not-found", 405: "method-not-allowed", 409: "conflict",
              408: "request-timeout", 413: "payload-too-large", 415: "unsupported-media-type", 422: "validation-error"}
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
HOST = re.compile(r"^[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$")


class Problem(BaseModel):
    """RFC 9457 problem details: stable `type`, English title/detail, Swedish title_sv/detail_sv."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "http://localhost:8000/problems/unreadable-document", "title": "The document cannot be read",
        "status": 422, "detail": "fake.pdf: the file is not a PDF (no %PDF header)",
        "title_sv": "Dokumentet går inte att läsa",
        "detail_sv": "Filen går inte att läsa (skadad, krypterad eller inte det format namnet anger). "
                     "Prova att spara om den eller klistra in texten.",
        "instance": "/v1/analyses/file", "request_id": "4f1c2d0e9a8b4c7d8e6f5a4b3c2d1e0f"}]})

    type: str = Field(description="Absolute URI of the kind of problem; it ends in a stable id and serves a page "
                      "describing the problem", examples=["http://localhost:8000/problems/unreadable-document"])
    title: str = Field(description="Short English summary of the kind of problem")
    status: int = Field(ge=400, le=599, description="The HTTP status code")
    detail: str = Field(description="English explanation of this occurrence")
    title_sv: str = Field(description="Swedish title, for the officer's page")
    detail_sv: str = Field(description="Swedish explanation of what to do, for the officer's page")
    instance: str | None = Field(default=None, description="The request path")
    request_id: str | None = Field(default=None, description="The request's X-Request-ID, also in the logs")
    errors: list[dict] | None = Field(default=None, description="Per-field validation errors")


class ServiceProblem(Exception):
    """A problem the HTTP layer detects itself (not a coded analysis error)."""

    def __init__(self, status: int, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.kind, self.detail = status, kind, detail


def base_url(scope: Scope) -> str:
    """The service's own origin (+ root path), from the request: where the problem pages live."""
    scheme = scope.get("scheme", "http")
    headers = dict(scope.get("headers") or [])
    host = headers.get(b"host", b"").decode("latin-1")
    if not HOST.match(host):  # the Host header is the client's: echo only a plain host name
        host = "localhost"
    return f"{scheme}://{host}{scope.get('root_path', '')}"


def type_uri(kind: str, scope: Scope | None) -> str:
    return (base_url(scope) if scope else "") + PROBLEMS_PATH + kind


def make(status: int, kind: str, detail: str, scope: Scope | None = None, **extra) -> Problem:
    return Problem(type=type_uri(kind, scope), title=DESCRIPTIONS.get(kind, (kind, ""))[0], status=status,
                   detail=detail, title_sv=sv("problem_title", kind), detail_sv=sv("problem_detail", kind),
                   instance=scope.get("path") if scope else None, request_id=correlation_id.get(), **extra)


def problem(status: int, kind: str, detail: str, request: Request | None = None, **extra) -> JSONResponse:
    body = make(status, kind, detail, request.scope if request else None, **extra)
    log.info("problem", extra={"problem": kind, "status": status})
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def problem_of(error: PolicyAlignError, request: Request | None = None) -> Problem:
    """The problem details of a coded error (the source, a file name the client sent, is safe to echo)."""
    return make(error.http_status, error.code, str(error), request.scope if request else None)


def error_problem(error: PolicyAlignError, request: Request | None = None) -> JSONResponse:
    return problem(error.http_status, error.code, str(error), request)


def valid_request_id(value: str) -> bool:
    """A caller's X-Request-ID is echoed when short and plain (no spaces, quotes or control characters)."""
    return bool(REQUEST_ID.match(value))


def install(app: FastAPI) -> None:
    @app.exception_handler(PolicyAlignError)
    async def _policyalign(request: Request, error: PolicyAlignError):
        return error_problem(error, request)

    @app.exception_handler(ServiceProblem)
    async def _service(request: Request, error: ServiceProblem):
        return problem(error.status, error.kind, error.detail, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError):
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in error.errors()
        ]
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
        return problem(422, "validation-error", detail, request, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException):
        kind = HTTP_TYPES.get(error.status_code, "bad-request" if error.status_code < 500 else "internal-error")
        response = problem(error.status_code, kind, str(error.detail), request)
        for key, value in (error.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception):
        log.exception("unexpected error", extra={"problem": "internal-error"})
        return problem(500, "internal-error", "an unexpected error occurred; it has been logged", request)
