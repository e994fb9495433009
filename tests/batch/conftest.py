"""One small scored backlog per session, shared by the portfolio, compare and browser tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.batch.inputs import InputRecord
from tests.conftest import DEVSET

FAKE = {"embedder": "fake"}
DOCUMENTS = ("d01", "d03", "d06", "d08", "d11", "d13")
CULTURE = ("Biblioteksbussen\n\nSyfte\nProjektet ska ge fler barn och vuxna i glesbygden tillgång till bibliotek, "
           "kultur och läsning genom en biblioteksbuss som besöker byarna varje vecka. Kommunen söker 300 000 kronor, "
           "40 procent av kostnaderna. Projektet pågår 2026-01-01–2027-12-31.\n")


@dataclass(frozen=True)
class Backlog:
    records: list[InputRecord]
    parquet: Path
    jsonl: Path


def backlog_records() -> list[InputRecord]:
    records = [InputRecord(id=f"{name}.txt", source=str(DEVSET / f"{name}.txt"), path=str(DEVSET / f"{name}.txt"))
               for name in DOCUMENTS]
    records.append(InputRecord(id="biblioteksbuss.txt", source="biblioteksbuss.txt", text=CULTURE))
    records.append(InputRecord(id="tom.txt", source="tom.txt", text=""))
    return records


@pytest.fixture(scope="session")
def scored(tmp_path_factory) -> Backlog:
    """Eight documents (one empty) scored once with the shipped corpus and the fake embedder, in-process."""
    from analysis.batch.engine import score_backlog

    folder = tmp_path_factory.mktemp("scored")
    records = backlog_records()
    score_backlog(records, folder / "run.parquet", "parquet", settings=FAKE)
    return Backlog(records, folder / "run.parquet", folder / "run.parquet.journal.jsonl")
