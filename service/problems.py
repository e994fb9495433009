"""RFC 9457 problem details with stable ``type`` ids: what every 4xx and 5xx looks like."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from analysis.errors import PolicyAlignError

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/problems/"
log = logging.getLogger("policyalign.service")


class Problem(BaseModel):
    type: str = Field(examples=["/problems/unreadable-document"], description="Stable id of the kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict] | None = Field(default=None, description="Per-field validation errors")


HTTP_TYPES = {400: "bad-request", 401: "unauthorized", 404: "not-found", 405: "method-not-allowed",
              408: "request-timeout", 413: "payload-too-large", 415: "unsupported-media-type", 422: "validation-error"}
TITLES = {
    "bad-request": "Bad request", "unauthorized": "Missing or wrong API key", "not-found": "Not found",
    "method-not-allowed": "Method not allowed", "payload-too-large": "Payload too large",
    "unsupported-media-type": "Unsupported media type", "validation-error": "The request is not valid",
    "unreadable-document": "The document cannot be read", "empty-document": "The document is empty",
    "language-not-supported": "Language not supported", "document-too-large": "The text is too long",
    "unknown-region": "Unknown region", "unknown-item": "Unknown framework or item",
    "model-unavailable": "A model is not available", "invalid-corpus": "The policy corpus is invalid",
    "internal-error": "Internal error", "resource-limit": "The input needs more memory or time than allowed",
    "request-timeout": "Request timeout", "overloaded": "The service is busy",
    "not-ready": "The worker is not ready",
}


def problem(status: int, kind: str, detail: str, request: Request | None = None, **extra) -> JSONResponse:
    body = Problem(type=TYPE_BASE + kind, title=TITLES.get(kind, kind), status=status, detail=detail,
                   instance=str(request.url.path) if request else None, **extra)
    log.info("problem", extra={"problem": kind, "status": status})
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def problem_of(error: PolicyAlignError) -> Problem:
    """The problem details of a coded error (the source, a file name the client sent, is safe to echo)."""
    return Problem(type=TYPE_BASE + error.code, title=TITLES.get(error.code, error.code), status=error.http_status,
                   detail=str(error))


def error_problem(error: PolicyAlignError, request: Request | None = None) -> JSONResponse:
    return problem(error.http_status, error.code, str(error), request)


def install(app: FastAPI) -> None:
    @app.exception_handler(PolicyAlignError)
    async def _policyalign(request: Request, error: PolicyAlignError):
        return error_problem(error, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in error.errors()]
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
