"""GET /v1/policies and /v1/policies/{framework}: the corpus as officers see it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from analysis.corpus.schema import Framework
from service.problems import Problem
from service.schemas import FrameworkOut, PoliciesOut, PolicyItemOut, RegionOut
from service.security import require_api_key

router = APIRouter(prefix="/v1", tags=["policies"], dependencies=[Depends(require_api_key)],
                   responses={code: {"model": Problem, "content": {"application/problem+json": {}}} for code in (401, 404)})


def framework_out(framework: Framework) -> FrameworkOut:
    return FrameworkOut(
        id=framework.id, name=framework.name, kind=framework.kind, status=framework.status,
        description=framework.description.strip(), allows_none=framework.allows_none,
        items=[PolicyItemOut(id=i.id, name=i.name, status=i.status, description=i.description.strip(),
                             orientations=i.orientations, vocabulary=[t.term for t in i.vocabulary])
               for i in framework.items],
    )


@router.get("/policies", response_model=PoliciesOut, summary="All frameworks, regions and perspectives")
async def policies(request: Request) -> PoliciesOut:
    corpus = request.app.state.analyzer.corpus
    return PoliciesOut(
        corpus_version=corpus.version, default_region=corpus.manifest.default_region,
        regions=[RegionOut(id=r.id, name=r.name, frameworks=r.frameworks) for r in corpus.manifest.regions],
        frameworks=[framework_out(f) for f in corpus.frameworks],
        perspectives=[{"id": p.id, "name": p.name, "required": p.required, "description": p.description.strip()}
                      for p in corpus.perspectives.perspectives],
    )


@router.get("/policies/{framework_id}", response_model=FrameworkOut, summary="One framework and its items")
async def policy(request: Request, framework_id: str) -> FrameworkOut:
    return framework_out(request.app.state.analyzer.corpus.framework(framework_id))
