"""Optional API keys: when configured, every /v1 route needs 'Authorization: Bearer <key>'."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request


def require_api_key(request: Request) -> None:
    keys: list[str] = request.app.state.settings.accepted_api_keys
    if not keys:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    # Compare against every key in constant time, so timing does not reveal a prefix.
    valid = scheme.lower() == "bearer" and any(hmac.compare_digest(token.encode(), key.encode()) for key in keys)
    if not valid:
        raise HTTPException(401, "a valid API key is required: 'Authorization: Bearer <key>'",
                            headers={"WWW-Authenticate": "Bearer"})
