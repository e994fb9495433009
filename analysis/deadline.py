"""Cooperative deadlines: a long analysis stops at its next checkpoint once time is up or the client left.

A thread cannot be killed, so the pipeline calls ``checkpoint()`` between stages; the service sets a
deadline (and a cancel event set on client disconnect) around each request's analysis.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from analysis.errors import ResourceLimitError


class Cancellation(Protocol):
    """A flag set when the work is abandoned: a ``threading.Event``, or one in memory shared with the
    process that analyses (service/runners.py)."""

    def set(self) -> None: ...

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class _Deadline:
    at: float
    seconds: float
    cancelled: Cancellation


_current: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar("policyalign_deadline", default=None)


@contextmanager
def deadline(seconds: float, cancelled: Cancellation | None = None) -> Iterator[None]:
    token = _current.set(_Deadline(time.monotonic() + seconds, seconds, cancelled or threading.Event()))
    try:
        yield
    finally:
        _current.reset(token)


def checkpoint() -> None:
    """Raise ``ResourceLimitError`` when the current deadline has passed or the work was abandoned."""
    current = _current.get()
    if current is None:
        return
    if current.cancelled.is_set():
        raise ResourceLimitError("the analysis was abandoned (the client disconnected)")
    if time.monotonic() > current.at:
        raise ResourceLimitError(f"the analysis needs more time than allowed ({current.seconds:g} s)")
