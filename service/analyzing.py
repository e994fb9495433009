"""Every analysis a route runs: under the request deadline (service/limits.py), counted in the metrics."""

from __future__ import annotations

from starlette.requests import Request

from analysis.errors import PolicyAlignError
from service.jobs import Answer, Job
from service.limits import run_analysis


async def analyze_counted(request: Request, job: Job[Answer]) -> Answer:
    """Run one analysis under the request deadline and count its outcome (ok or error) in the metrics."""
    metrics = request.app.state.metrics
    try:
        answer: Answer = await run_analysis(request, job)
    except PolicyAlignError:
        metrics.record_analysis(None)
        raise
    metrics.record_analysis(answer.counts)
    return answer
