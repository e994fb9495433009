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


def worker_rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


@router.get("/readyz", response_model=Ready,
            summary="Corpus and models are loaded and the worker is under its memory ceiling",
            responses={503: {"model": Problem, "content": {"application/problem+json": {}},
                             "description": "The worker holds more memory than its ceiling"}})
async def readyz(request: Request) -> Ready:
    analyzer = request.app.state.analyzer
    ceiling = request.app.state.settings.worker_rss_ceiling_mb
    if (rss := worker_rss_mb()) > ceiling:
        gc.collect()
        if (rss := worker_rss_mb()) > ceiling:
            raise NotReadyError(f"the worker holds {rss:.0f} MB, over its ceiling of {ceiling} MB") from None
    return Ready(status="ready", corpus=analyzer.corpus.version, software=software_version(),
                 models=analyzer.versions(analyzer.corpus.manifest.default_region).models)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
