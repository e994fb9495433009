"""Where documents come from: files, folders, CSV/JSONL exports, or JSONL on stdin."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


DOCUMENT_SUFFIXES = {".txt", ".pdf", ".docx"}
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class InputRecord:
    """One document to score: a file to read, or text from an export. ``problem`` marks unreadable rows."""

    id: str
    source: str
    path: str | None = None
    text: str | None = None
    problem: str | None = None


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES:
            yield path


def _export_rows(path: Path, id_column: str, text_column: str) -> Iterator[InputRecord]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                yield _record_from(row, f"{path}:{number}", id_column, text_column)
    else:
        with path.open(encoding="utf-8-sig") as handle:
            yield from _jsonl_records(handle, str(path), id_column, text_column)


def _jsonl_records(lines, origin: str, id_column: str, text_column: str) -> Iterator[InputRecord]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputRecord(id=f"{origin}#{number}", source=where, problem=f"invalid JSON line: {error.msg}")
            continue
        yield _record_from(row if isinstance(row, dict) else {}, where, id_column, text_column)


def _record_from(row: dict, where: str, id_column: str, text_column: str) -> InputRecord:
    identifier = str(row.get(id_column) or "").strip()
    text = row.get(text_column)
    if not identifier:
        return InputRecord(id=f"{where}", source=where, problem=f"no {id_column!r} value")
    if not isinstance(text, str):
        return InputRecord(id=identifier, source=where, problem=f"no {text_column!r} text")
    return InputRecord(id=identifier, source=where, text=text)


def iter_inputs(inputs: list[str], id_column: str = "id", text_column: str = "text") -> Iterator[InputRecord]:
    """Every input in order; folders recursively; ids unique by construction for files (their path)."""
    for given in inputs:
        if given == "-":
            yield from _jsonl_records(sys.stdin, "stdin", id_column, text_column)
            continue
        path = Path(given)
        if path.is_dir():
            for file in _files(path):
                yield InputRecord(id=str(file), source=str(file), path=str(file))
        elif path.suffix.lower() in (".csv", ".jsonl", ".ndjson") and path.is_file():
            yield from _export_rows(path, id_column, text_column)
        else:  # a document, or a path that will fail to read: either way it gets its row
            yield InputRecord(id=str(path), source=str(path), path=str(path))
