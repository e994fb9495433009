"""Fitted model artefacts as JSON files: one way to write and read them (no pickles, readable in review)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.errors import ModelUnavailableError

REFIT = "run 'policyalign models calibrate'"


def write_json(path: Path, payload: dict[str, Any], indent: int | None = 1) -> None:
    """Write an artefact; `indent=None` writes it compactly (large coefficient tables)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    separators = (",", ":") if indent is None else None
    text = json.dumps(payload, indent=indent, ensure_ascii=False, separators=separators)
    path.write_text(text + "\n", encoding="utf-8")


def read_json(path: Path, what: str) -> dict[str, Any]:
    """Read an artefact, or say which one is missing and how to make it."""
    if not path.is_file():
        raise ModelUnavailableError(f"{what} not found: {path} ({REFIT})")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def content_version(prefix: str, payload: object, blobs: Iterable[bytes] = ()) -> str:
    """A version that changes exactly when the fitted numbers change: prefix + hash of the content."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode())
    for blob in blobs:
        digest.update(blob)
    return f"{prefix}-{digest.hexdigest()[:10]}"
