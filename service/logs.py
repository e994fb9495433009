"""JSON logs with the request id; never the document text or anything personal from it."""

from __future__ import annotations

import logging

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.json import JsonFormatter


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
                                       rename_fields={"levelname": "level", "asctime": "time",
                                                      "correlation_id": "request_id"}))
    handler.addFilter(CorrelationIdFilter(uuid_length=32, default_value="-"))
    logger = logging.getLogger("policyalign")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
