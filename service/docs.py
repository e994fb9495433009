"""Offline API docs, problem-type pages and the finishing touches of the OpenAPI document.

Swagger UI and ReDoc assets come from the fastapi-offline package (no CDN); the pages load them and a
small init script from /static, with no inline script, so a strict Content-Security-Policy holds.
"""

from __future__ import annotations

import html
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from analysis.labels import sv
from analysis.settings import Settings
from service.problems import DESCRIPTIONS, PROBLEM_MEDIA_TYPE, PROBLEMS_PATH
from service.schemas import result_example

WEB = Path(__file__).parent / "web"
ASSETS = Path(fastapi_offline.__file__).parent / "static"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
REDOC_CSP = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
             "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def install(app: FastAPI, settings: Settings) -> None:
    app.mount("/docs-assets", StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> FileResponse:
        return FileResponse(WEB / "docs.html")

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> FileResponse:
        # ReDoc's bundle shows its makers' logo from their CDN (kept out: images stay on this host) and
        # styles itself with inline <style> (styled-components): this page's own policy allows that, nothing else.
        return FileResponse(WEB / "redoc.html", headers={"Content-Security-Policy": REDOC_CSP})

    @app.get(PROBLEMS_PATH + "{kind}", include_in_schema=False)
    async def problem_page(kind: str) -> HTMLResponse:
        if kind not in DESCRIPTIONS:
            return HTMLResponse(_page("Unknown problem type", "<p>No such problem type.</p>"), status_code=404)
        return HTMLResponse(_problem_html(kind))

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = finish(get_openapi(title=app.title, version=app.version, description=app.description,
                                                    routes=app.routes), settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise the schema


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="stylesheet" href="/static/style.css"></head><body><main class="problem-page">{body}'
            f'</main></body></html>')


def _problem_html(kind: str) -> str:
    title, meaning = DESCRIPTIONS[kind]
    return _page(title, (
        f"<h1>{html.escape(title)}</h1><p><code>{html.escape(kind)}</code></p><p>{html.escape(meaning)}</p>"
        f'<h2 lang="sv">{html.escape(sv("problem_title", kind))}</h2>'
        f'<p lang="sv">{html.escape(sv("problem_detail", kind))}</p>'
        "<p>Problem details (RFC 9457) carry this page's URI as <code>type</code>, an English "
        "<code>title</code>/<code>detail</code>, Swedish <code>title_sv</code>/<code>detail_sv</code> and the "
        "<code>request_id</code> found in the logs.</p>"))


def finish(schema: dict, settings: Settings) -> dict:
    """Problem media types, API-key security, configured limits and a real result example."""
    _problem_media_types(schema)
    components = schema.setdefault("components", {})
    components["securitySchemes"] = {"apiKey": {
        "type": "http", "scheme": "bearer",
        "description": "Needed on /v1 routes when the service runs with POLICYALIGN_API_KEYS"}}
    for path, operations in schema["paths"].items():
        if path.startswith("/v1/"):
            for operation in operations.values():
                operation["security"] = [{"apiKey": []}, {}]
    models = components["schemas"]
    models["AnalysisRequest"]["properties"]["text"]["maxLength"] = settings.max_text_chars
    models["BatchEntry"]["properties"]["text"]["maxLength"] = settings.max_text_chars
    models["BatchRequest"]["properties"]["items"]["maxItems"] = settings.max_batch_items
    models["AnalysisResult"]["examples"] = [result_example()]
    _name_upload(schema, "/v1/analyses/file", "FileUpload", "A PDF, DOCX or TXT file and the region to analyze it for",
                 {"file": "(binary) ansokan.pdf", "region": "orebro", "include_text": False})
    if "/v1/cases/{case_id}/analyses/file" in schema["paths"]:
        _name_upload(schema, "/v1/cases/{case_id}/analyses/file", "CaseFileUpload",
                     "A PDF, DOCX or TXT file to analyze and store in the case, and the region if not the case's",
                     {"file": "(binary) komplettering-2026-11-30.pdf", "region": "orebro"})
    for unused in ("HTTPValidationError", "ValidationError"):  # 422s are problem+json, not FastAPI's default
        models.pop(unused, None)
    return schema


def _name_upload(schema: dict, path: str, name: str, description: str, example: dict) -> None:
    """FastAPI names a multipart body Body_<function>_<path>: give it a stable name, a description and an example."""
    content = schema["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]
    models = schema["components"]["schemas"]
    upload = models.pop(content["schema"]["$ref"].rsplit("/", 1)[1])
    upload.update(title=name, description=description, examples=[example])
    models[name] = upload
    content["schema"] = {"$ref": f"#/components/schemas/{name}"}


def _problem_media_types(schema: dict) -> None:
    """Every 4xx/5xx is application/problem+json with the Problem schema, never application/json."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}
