"""GET /v1/policies, /v1/policies/{framework} and /v1/labels: the corpus and the Swedish labels."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from analysis.corpus.schema import Framework
from analysis.labels import labels
from service.problems import PROBLEM_MEDIA_TYPE, Problem
from service.schemas import FrameworkOut, Labels, PerspectiveInfo, PoliciesOut, PolicyItemOut, RegionOut
from service.security import require_api_key

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown framework", "content": {PROBLEM_MEDIA_TYPE: {}}},
    401: {"model": Problem, "description": "Missing or wrong API key", "content": {PROBLEM_MEDIA_TYPE: {}}},
}
router = APIRouter(prefix="/v1", tags=["policies"], dependencies=[Depends(require_api_key)], responses=ERRORS)


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
    corpus = request.app.state.corpus
    return PoliciesOut(
        corpus=corpus.version, default_region=corpus.manifest.default_region,
        regions=[RegionOut(id=r.id, name=r.name, status=r.status, frameworks=r.frameworks)
                 for r in corpus.manifest.regions],
        frameworks=[framework_out(f) for f in corpus.frameworks],
        perspectives=[PerspectiveInfo(id=p.id, name=p.name, required=p.required, description=p.description.strip())
                      for p in corpus.perspectives.perspectives],
    )


@router.get("/policies/{framework_id}", response_model=FrameworkOut, summary="One framework and its items")
async def policy(request: Request, framework_id: str) -> FrameworkOut:
    return framework_out(request.app.state.corpus.framework(framework_id))


@router.get("/labels", response_model=Labels, summary="Swedish labels for statuses, kinds, roles, sections, problems")
async def swedish_labels(request: Request) -> Labels:
    """The one label table (analysis/data/labels-sv.yaml) plus section names from the corpus."""
    headings = request.app.state.corpus.headings
    return Labels(groups=labels(), sections={entry.id: entry.name for entry in headings.sections})
