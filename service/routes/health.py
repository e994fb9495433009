"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from analysis.pipeline import software_version
from service.schemas import Ready

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=Ready, summary="Corpus and models are loaded")
async def readyz(request: Request) -> Ready:
    analyzer = request.app.state.analyzer
    return Ready(status="ready", corpus=analyzer.corpus.version, software=software_version(),
                 models=analyzer.versions(analyzer.corpus.manifest.default_region).models)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
