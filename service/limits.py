"""Request limits as pure ASGI middleware and the bounded way every analysis runs.

- ``BodySizeLimit``: 413 as soon as Content-Length or the streamed bytes pass the limit, 408 when the
  body does not arrive within ``body_timeout_seconds`` (a slow-body client cannot hold a connection).
- ``Admission``: at most the runner's concurrency + ``max_waiting_requests`` analysis requests at once;
  the next one gets 503 with Retry-After at once, before its body is read, instead of queueing.
- ``run_analysis``: the analysis runs on the app's runner (service/runners.py) under the request deadline
  and is abandoned (cooperatively, at the pipeline's next checkpoint) when the client disconnects.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any, Literal

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from analysis.deadline import Cancellation
from analysis.errors import ResourceLimitError
from service import problems
from service.jobs import Job

PROBLEM_MEDIA_TYPE = b"application/problem+json"
RETRY_AFTER_SECONDS = 2


async def send_problem(send: Send, scope: Scope, status: int, kind: str, detail: str,
                       headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """A problem+json response written straight to ASGI (middleware runs outside FastAPI's handlers)."""
    body = json.dumps(problems.make(status, kind, detail, scope).model_dump(exclude_none=True)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM_MEDIA_TYPE), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class _BodyRefused(Exception):
    pass


@dataclass
class _BodyState:
    """What one request's body has done so far, shared by the receive and send wrappers."""

    received: int = 0
    refused: Literal["large", "slow"] | None = None
    started: bool = False  # the app has started its response
    done: bool = False  # the whole body has arrived


class BodySizeLimit:
    """413 for a body over ``max_bytes`` (declared or streamed), 408 for one slower than ``timeout``."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = 20.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or {}).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, send)
            return
        state = _BodyState()
        give_up_at = anyio.current_time() + self.timeout

        async def limited_receive() -> Message:
            if state.done:
                return await receive()  # after the body: only http.disconnect, which may wait
            message = await self._receive_in_time(receive, give_up_at, state)
            if message["type"] == "http.request":
                state.received += len(message.get("body", b""))
                state.done = not message.get("more_body", False)
                if state.received > self.max_bytes:
                    state.refused = "large"
                    raise _BodyRefused
            return message

        async def guarded_send(message: Message) -> None:
            # FastAPI turns an error while reading the body into its own 400: answer for the real cause.
            if state.refused is not None:
                return
            state.started |= message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_BodyRefused):
            await self.app(scope, limited_receive, guarded_send)
        if state.refused is not None and not state.started:
            await self._refuse(state.refused, scope, send)

    @staticmethod
    async def _receive_in_time(receive: Receive, give_up_at: float, state: _BodyState) -> Message:
        try:
            with anyio.fail_after(max(give_up_at - anyio.current_time(), 0)):
                return await receive()
        except TimeoutError:
            state.refused = "slow"
            raise _BodyRefused from None

    async def _refuse(self, reason: Literal["large", "slow"], scope: Scope, send: Send) -> None:
        if reason == "large":
            await self._too_large(scope, send)
        else:
            await send_problem(send, scope, 408, "request-timeout",
                               f"the request body did not arrive within {self.timeout:g} s",
                               [(b"connection", b"close")])

    async def _too_large(self, scope: Scope, send: Send) -> None:
        await send_problem(send, scope, 413, "payload-too-large", f"the request body exceeds {self.max_bytes} bytes",
                           [(b"connection", b"close")])


class Admission:
    """Bound the analysis requests a worker holds: beyond ``capacity`` answer 503 with Retry-After."""

    def __init__(self, app: ASGIApp, capacity: int, prefix: str = "/v1/analyses") -> None:
        self.app = app
        self.capacity = capacity
        self.prefix = prefix
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.capacity:
            await send_problem(send, scope, 503, "overloaded",
                               f"{self.in_flight} analyses are running or waiting; retry shortly",
                               [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())])
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


async def _watch_disconnect(request: Request, cancelled: Cancellation) -> None:
    while not cancelled.is_set():
        if await request.is_disconnected():
            cancelled.set()
            return
        await anyio.sleep(0.2)


async def run_analysis(request: Request, job: Job[Any]) -> Any:
    """Run ``job`` on the app's runner under the request deadline; abandon it on disconnect.

    The answer comes at the deadline even if the analysis is inside one long step; the analysis itself
    stops at the pipeline's next checkpoint, so it does not hold the CPU for long after.
    """
    seconds = request.app.state.settings.request_deadline_seconds
    runner = request.app.state.runner
    cancelled = runner.cancellation()
    outcome: dict[str, Any] = {}
    async with anyio.create_task_group() as group:
        group.start_soon(_watch_disconnect, request, cancelled)
        with anyio.move_on_after(seconds + 0.5) as scope:
            try:
                outcome["result"] = await runner.run(job, seconds, cancelled)
            except Exception as error:  # re-raised below, outside the task group (no ExceptionGroup)
                outcome["error"] = error
        cancelled.set()
        group.cancel_scope.cancel()
    if scope.cancelled_caught:
        raise ResourceLimitError(f"the analysis needs more time than allowed ({seconds:g} s)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
