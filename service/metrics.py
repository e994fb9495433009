"""Prometheus metrics: requests and latency per route, analyses per status, findings per rule."""

from __future__ import annotations

import logging
import time

from prometheus_client import CollectorRegistry, Counter, Histogram

from service.jobs import Counts

log = logging.getLogger("policyalign.service")


class Metrics:
    """One registry per app, so several apps (tests) never collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("policyalign_http_requests", "HTTP requests", ["route", "method", "status"],
                                registry=self.registry)
        self.latency = Histogram(
            "policyalign_http_request_duration_seconds",
            "Request latency",
            ["route", "method"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.analyses = Counter("policyalign_analyses", "Analyses by outcome", ["status"], registry=self.registry)
        self.findings = Counter("policyalign_findings", "Rule findings reported", ["rule"], registry=self.registry)
        self.perspectives = Counter("policyalign_perspective_statuses", "Perspective statuses reported",
                                    ["perspective", "status"], registry=self.registry)

    def record_analysis(self, counts: Counts | None) -> None:
        """One analysis's outcome: ok or error (None), and the findings and perspective statuses it reported."""
        self.analyses.labels("ok" if counts else "error").inc()
        if counts:
            for rule in counts.rules:
                self.findings.labels(rule).inc()
            for perspective, status in counts.statuses:
                self.perspectives.labels(perspective, status).inc()


class ObserveRequests:
    """Pure ASGI middleware: request count and latency per route template, and one log line per request.

    (Starlette's BaseHTTPMiddleware would wrap every response in extra tasks and streams.)
    """

    def __init__(self, app, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route, scope["method"]).observe(elapsed)
            log.info("request", extra={"method": scope["method"], "route": route, "status": status,
                                       "duration_ms": round(elapsed * 1000, 1)})
