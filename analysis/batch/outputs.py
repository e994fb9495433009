"""Incremental, crash-safe output: an append-only JSONL journal, converted to CSV/Parquet at the end.

Each row is one ``os.write`` of a complete line on an O_APPEND descriptor,
fsynced per batch; a line cut short by a kill is dropped on resume, so a run
killed anywhere and resumed ends with exactly one row per document.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.batch.choices import RowFormat
from analysis.batch.rows import FLOAT_COLUMNS, INT_COLUMNS, flat_columns, flatten, perspective_ids

RESULT_COLUMN = "result_json"


def journal_path(out: Path, output_format: RowFormat) -> Path:
    return out if output_format == RowFormat.jsonl else out.with_name(out.name + ".journal.jsonl")


class Journal:
    def __init__(self, path: Path, resume: bool) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not resume and path.exists():
            path.unlink()
        self.done = self._recover() if resume else set()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def _recover(self) -> set[str]:
        """Ids already written; a trailing partial line from a kill is cut off."""
        if not self.path.exists():
            return set()
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(len(complete))
        done = set()
        for line in complete.splitlines():
            try:
                done.add(json.loads(line)["id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
        return done

    def write(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            os.write(self._fd, (json.dumps(row, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
            self.done.add(row["id"])
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def flat_rows(journal: Path, settings: dict[str, Any] | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and flat rows of a run with the backlog-wide sanity flags (the corpus's perspectives and
    limits, the run's settings)."""
    from analysis.batch.rows import SanityLimits, add_sanity_flags
    from analysis.corpus import load_corpus
    from analysis.settings import Settings

    run_settings = Settings(**(settings or {}))
    corpus = load_corpus(run_settings.corpus_dir)
    perspectives = perspective_ids(corpus)
    rows = [flatten(row, perspectives) for row in read_rows(journal)]
    return flat_columns(perspectives), add_sanity_flags(rows, SanityLimits.from_corpus(corpus, run_settings))


def _write_parquet(journal: Path, names: list[str], flat: list[dict[str, Any]], tmp: Path) -> None:
    """Flat columns plus ``result_json``: the full result, so one Parquet file carries the whole analysis."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    full = {row["id"]: row for row in read_rows(journal)}
    columns: dict[str, list] = {name: [row[name] for row in flat] for name in names}
    columns[RESULT_COLUMN] = [json.dumps(full[row["id"]], ensure_ascii=False, default=str) for row in flat]
    schema = pa.schema([(name, pa.float64() if name in FLOAT_COLUMNS else pa.int64() if name in INT_COLUMNS
                         else pa.string()) for name in names] + [(RESULT_COLUMN, pa.string())])
    pq.write_table(pa.Table.from_pydict(columns, schema=schema), tmp, compression="zstd")


def finalise(journal: Path, out: Path, output_format: RowFormat, settings: dict[str, Any] | None = None) -> None:
    """Write CSV or Parquet from the journal, atomically (temporary file, then rename)."""
    if output_format == "jsonl":
        return
    if output_format not in ("csv", "parquet"):
        raise ValueError(f"unknown output format {output_format!r}")
    names, flat = flat_rows(journal, settings)
    tmp = out.with_name(out.name + ".tmp")
    if output_format == "csv":
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=names)
            writer.writeheader()
            writer.writerows(flat)
    else:
        _write_parquet(journal, names, flat, tmp)
    tmp.replace(out)
