"""API keys (checked before the body is read) and security headers on every response."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.limits import send_problem

KEY_REQUIRED = "a valid API key is required: 'Authorization: Bearer <key>'"

# The officers' page loads its script, style and data from this origin only and is never framed.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


def key_is_valid(authorization: str, keys: list[str]) -> bool:
    """Compare against every key in constant time, so timing does not reveal a prefix."""
    scheme, _, token = authorization.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and any(
        hmac.compare_digest(token.encode(), key.encode()) for key in keys)


async def require_api_key(request: Request) -> None:
    """Route dependency: documents the 401 in the schema; ``ApiKeyGate`` has already refused bad keys.
    (async: FastAPI runs a plain ``def`` dependency in a worker thread, a thread hop per request.)"""
    keys: list[str] = request.app.state.settings.accepted_api_keys
    if keys and not key_is_valid(request.headers.get("authorization", ""), keys):
        raise HTTPException(401, KEY_REQUIRED, headers={"WWW-Authenticate": "Bearer"})


class ApiKeyGate:
    """Pure ASGI middleware: a request to a protected path without a valid key gets 401 before its
    body is read (a stranger cannot make the server buffer or parse anything)."""

    def __init__(self, app: ASGIApp, keys: list[str], protect_metrics: bool = False) -> None:
        self.app = app
        self.keys = keys
        self.prefixes = ("/v1/", "/metrics") if protect_metrics else ("/v1/",)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and self.keys and scope.get("method") != "OPTIONS"
                and scope["path"].startswith(self.prefixes)):
            headers = dict(scope.get("headers") or {})
            if not key_is_valid(headers.get(b"authorization", b"").decode("latin-1"), self.keys):
                await send_problem(send, scope, 401, "unauthorized", KEY_REQUIRED,
                                   [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Pure ASGI middleware: nosniff, a strict CSP with frame-ancestors 'none', no referrer, on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(header for header in SECURITY_HEADERS if header[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
