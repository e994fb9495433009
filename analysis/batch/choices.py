"""The bulk run's closed choices, in a module of their own so the CLI can offer them without importing
the engine (and through it the corpus and the analyzer) at start-up."""

from __future__ import annotations

from enum import StrEnum


class RowFormat(StrEnum):
    """jsonl: the full result per row (the journal itself); csv and parquet: flat rows made at the end."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class EngineName(StrEnum):
    local = "local"  # worker processes on this machine
    ray = "ray"  # Ray Data (optional dependency)
