"""The FastAPI application: factory, lifespan loading, middleware and routers.

Models and the corpus load once in the lifespan, never per request. An
invalid corpus stops start-up with the validator's message.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from analysis.corpus import cached_corpus
from analysis.pipeline import Analyzer, settle_process, software_version
from analysis.settings import Settings, get_settings
from service import docs, problems
from service.limits import Admission, BodySizeLimit
from service.logs import configure_logging
from service.metrics import Metrics, ObserveRequests
from service.routes import analyses, cases, health, policies
from service.runners import ProcessRunner, Runner, ThreadRunner
from service.security import ApiKeyGate, SecurityHeaders

WEB = Path(__file__).parent / "web"
log = logging.getLogger("policyalign.service")

DESCRIPTION = """Analyses Swedish project descriptions against regional development policy:
sections, ranked policy matches with evidence, horizontal perspectives (miljö, barn, jämställdhet),
facts (amount, share, period) and rule findings. Errors are RFC 9457 problem details
(`application/problem+json`) whose absolute `type` URI ends in a stable id and serves a page describing the
problem; `title_sv`/`detail_sv` carry Swedish text for officers. Evidence offsets count Unicode code points
into `document.text` (include_text=true), not UTF-16 units."""


def open_repository(settings: Settings):
    """The case store; refuses (DatabaseNotMigratedError) a database not at the shipped migration head.
    Texts past the retention period are deleted here, at every start."""
    from analysis.store import Store
    from analysis.store.repository import Repository

    repository = Repository(Store.open(settings))
    if settings.retention_days:
        pruned = repository.prune_texts(settings.retention_days)
        log.info("retention", extra={"texts_deleted": pruned, "retention_days": settings.retention_days})
    return repository


def create_app(settings: Settings | None = None, analyzer: Analyzer | None = None) -> FastAPI:
    """The app; with ``analyzer`` it analyses in its own threads, otherwise as the settings say."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    processes = 0 if analyzer is not None else settings.analysis_processes
    runner: Runner = ProcessRunner(settings, processes) if processes else ThreadRunner(settings, analyzer)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await runner.start()
        # The HTTP process reads the corpus for its own routes; Analyzer.create loads this same cached object.
        app.state.corpus = analyzer.corpus if analyzer is not None else cached_corpus(str(settings.corpus_dir))
        app.state.repository = await to_thread.run_sync(open_repository, settings)
        settle_process(settings)
        log.info("ready", extra={"corpus": app.state.corpus.version, "analysis_processes": processes})
        yield
        runner.close()
        app.state.repository.store.close()

    app = FastAPI(title="policyalign", version=software_version(), description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.runner = runner
    problems.install(app)

    # Added innermost first. Order of a request: request id → security headers → metrics → CORS →
    # API key (before any body byte is read) → admission (503 when full) → body size and time → routes.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes, timeout=settings.body_timeout_seconds)
    app.add_middleware(Admission, capacity=runner.concurrency + settings.max_waiting_requests)
    app.add_middleware(ApiKeyGate, keys=settings.accepted_api_keys, protect_metrics=settings.metrics_require_key)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"])
    app.add_middleware(ObserveRequests, metrics=app.state.metrics)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID", validator=problems.valid_request_id)

    app.include_router(analyses.router)
    app.include_router(policies.router)
    app.include_router(health.router)
    app.include_router(cases.router)
    app.include_router(cases.page_router)
    app.mount("/static", StaticFiles(directory=WEB), name="static")
    docs.install(app, settings)

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(WEB / "index.html")

    return app

