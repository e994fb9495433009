"""Prometheus metrics: requests and latency per route, analyses per status, findings per rule."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    """One registry per app, so several apps (tests) never collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("policyalign_http_requests", "HTTP requests", ["route", "method", "status"],
                                registry=self.registry)
        self.latency = Histogram("policyalign_http_request_duration_seconds", "Request latency", ["route", "method"],
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=self.registry)
        self.analyses = Counter("policyalign_analyses", "Analyses by outcome", ["status"], registry=self.registry)
        self.findings = Counter("policyalign_findings", "Rule findings reported", ["rule"], registry=self.registry)
        self.perspectives = Counter("policyalign_perspective_statuses", "Perspective statuses reported",
                                    ["perspective", "status"], registry=self.registry)
