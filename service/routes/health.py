"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import gc

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from analysis.errors import NotReadyError
from analysis.pipeline import software_version
from service.problems import Problem
from service.schemas import Ready

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=Ready,
            summary="Corpus and models are loaded and every analysing process is under its memory ceiling",
            responses={503: {"model": Problem, "content": {"application/problem+json": {}},
                             "description": "An analysing process holds more memory than its ceiling"}})
async def readyz(request: Request) -> Ready:
    runner = request.app.state.runner
    ceiling = request.app.state.settings.worker_rss_ceiling_mb
    if runner.rss_mb() > ceiling:
        gc.collect()
        if (rss := runner.rss_mb()) > ceiling:
            raise NotReadyError(f"the worker holds {rss:.0f} MB, over its ceiling of {ceiling} MB") from None
    return Ready(status="ready", corpus=request.app.state.corpus.version, software=software_version(),
                 models=runner.model_versions())


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
