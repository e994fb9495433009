"""Bulk scoring: bad files become rows, every input one row, kill-and-resume, formats, report, Ray.

The tests that start processes (workers, the CLI, Ray) compare against runs made once: the session's
scored backlog (conftest.py) and this module's mixed folder, each scored in-process a single time.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.batch.engine import run_local, score_backlog, unique_ids
from analysis.batch.inputs import InputRecord, iter_inputs
from analysis.batch.outputs import read_rows
from analysis.batch.portfolio import build_portfolio
from analysis.settings import Settings
from tests.conftest import DEVSET, ROOT, make_pdf

FAKE = {"embedder": "fake"}


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "backlog"
    (folder / "sub").mkdir(parents=True)
    for name in ("d01.txt", "d02.txt", "d08.txt"):
        (folder / name).write_bytes((DEVSET / name).read_bytes())
    (folder / "sub" / "d13.txt").write_bytes((DEVSET / "d13.txt").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "fake.pdf").write_bytes(b"not a pdf")
    (folder / "locked.pdf").write_bytes(make_pdf([("Hemligt om företag i länet.", "Helvetica", 10)], encrypt="x"))
    (folder / "english.txt").write_text("The project will help small firms in the county grow through advice and "
                                        "training, and results are followed up every quarter.", encoding="utf-8")
    (folder / "huge.txt").write_text("Små företag växer i länet. " * 5000, encoding="utf-8")
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    return folder


EXPECTED_ERRORS = {"empty.txt": "empty-document", "junk.txt": "unreadable-document", "fake.pdf": "unreadable-document",
                   "locked.pdf": "unreadable-document", "english.txt": "language-not-supported",
                   "huge.txt": "document-too-large"}


@pytest.fixture(scope="module")
def mixed_run(mixed_folder):
    """The mixed folder scored once, in this process: (summary, the JSONL file)."""
    out = mixed_folder.parent / "out.jsonl"
    summary = score_backlog(iter_inputs([str(mixed_folder)]), out, settings={**FAKE, "max_upload_bytes": 100_000})
    return summary, out


def test_mixed_folder_every_input_one_row(mixed_run):
    summary, out = mixed_run
    rows = list(read_rows(out))
    assert summary.total == len(rows) == 10
    by_name = {Path(row["id"]).name: row for row in rows}
    for name, kind in EXPECTED_ERRORS.items():
        assert by_name[name]["status"] == "error" and by_name[name]["error"]["type"] == kind, name
        assert by_name[name]["error"]["message"]
    for name in ("d01.txt", "d02.txt", "d08.txt", "d13.txt"):
        assert by_name[name]["status"] == "ok"
        assert by_name[name]["result"]["schema_version"] == "1"
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)  # input order: sorted walk


def test_csv_and_jsonl_exports_with_named_columns(tmp_path):
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["arende", "beskrivning"])
        writer.writerow(["A-1", (DEVSET / "d08.txt").read_text(encoding="utf-8")])
        writer.writerow(["A-2", ""])
        writer.writerow(["A-1", (DEVSET / "d03.txt").read_text(encoding="utf-8")])
    lines = tmp_path / "export.jsonl"
    lines.write_text(json.dumps({"arende": "B-1", "beskrivning": (DEVSET / "d11.txt").read_text(encoding="utf-8")})
                     + "\n{broken json\n", encoding="utf-8")
    records = unique_ids(iter_inputs([str(export), str(lines)], id_column="arende", text_column="beskrivning"))
    assert [r.id for r in records] == ["A-1", "A-2", "A-1#2", "B-1", f"{lines}#2"]
    out = tmp_path / "out.csv"
    score_backlog(iter_inputs([str(export), str(lines)], "arende", "beskrivning"), out, "csv", settings=FAKE)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["status"] for r in rows] == ["ok", "error", "ok", "ok", "error"]
    assert rows[0]["rus_top"] == "naringsliv-och-entreprenorskap" and rows[0]["amount_sek"] == "1200000"
    assert rows[4]["error_type"] == "invalid-input"


def test_parquet_is_readable_with_pyarrow(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    score_backlog([InputRecord(id="d06", source="d06", path=str(DEVSET / "d06.txt"))], out, "parquet", settings=FAKE)
    table = pq.read_table(out).to_pylist()
    assert table[0]["id"] == "d06" and table[0]["share_percent"] == 60.0
    assert table[0]["findings"] and "share-above-limit" in table[0]["findings"]


def test_resume_skips_done_and_cuts_a_partial_line(tmp_path):
    out = tmp_path / "out.jsonl"
    records = [InputRecord(id=f"d{i:02d}", source="x", path=str(DEVSET / f"d{i:02d}.txt")) for i in range(1, 5)]
    score_backlog(records[:2], out, settings=FAKE)
    with out.open("ab") as handle:
        handle.write(b'{"id": "d03", "status": "ok", "resu')  # a kill mid-line
    summary = score_backlog(records, out, settings=FAKE, resume=True)
    ids = [row["id"] for row in read_rows(out)]
    assert ids == ["d01", "d02", "d03", "d04"] and summary.skipped == 2


def test_kill_and_resume_in_a_subprocess(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for copy in range(2):
        for path in sorted(DEVSET.glob("d*.txt")):
            (folder / f"{copy}-{path.name}").write_bytes(path.read_bytes())
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "analysis.cli", "score", str(folder), "--out", str(out), "--embedder", "fake",
               "--batch-size", "1"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = out.read_bytes().count(b"\n")
    total = 2 * len(list(DEVSET.glob("d*.txt")))
    assert 5 <= written < total, "the kill should land mid-run"
    summary = score_backlog(iter_inputs([str(folder)]), out, settings=FAKE, resume=True)  # what --resume runs
    ids = [row["id"] for row in read_rows(out)]
    assert len(ids) == len(set(ids)) == total and summary.skipped >= written - 1


def test_workers_give_the_rows_of_one_process_and_a_crash_is_retried_once(scored):
    """Two worker processes score exactly as this process did (the session backlog), in input order; a
    worker that dies is retried once, then its documents become error rows."""
    from tests.batch.helpers import crash_on_marked

    records = [InputRecord(id=f"ok-{i}", source="x", path=str(DEVSET / "d08.txt")) for i in range(3)]
    records.insert(1, InputRecord(id="CRASH-me", source="x", path=str(DEVSET / "d08.txt")))
    rows: list[dict] = []
    run_local(records, rows.extend, FAKE, None, workers=2, batch_size=2, score_batch=crash_on_marked)
    assert [r["id"] for r in rows] == ["ok-0", "CRASH-me", "ok-1", "ok-2"]
    assert [r["status"] for r in rows] == ["ok", "error", "ok", "ok"]
    assert rows[1]["error"]["type"] == "worker-crashed"
    in_process = next(r for r in read_rows(scored.jsonl) if r["id"] == "d08.txt")["result"]
    assert all(r["result"]["alignments"] == in_process["alignments"] for r in rows if r["status"] == "ok")
    assert all(r["result"]["facts"] == in_process["facts"] for r in rows if r["status"] == "ok")


def _outcomes(path: Path, ids: set[str] | None = None) -> list[tuple]:
    return [(r["id"], r["status"], r["result"] and r["result"]["alignments"]) for r in read_rows(path)
            if ids is None or r["id"] in ids]


def test_portfolio_report(mixed_run):
    page = build_portfolio(mixed_run[1], settings=Settings(embedder="fake")).html
    assert page.count("<svg") >= 4
    assert "Dokument att åtgärda" in page and "empty.txt" in page and "dokumentet är tomt" in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)  # self-contained: no external assets


@pytest.mark.skipif(sys.platform != "linux", reason="Ray test runs on the Linux CI machine")
def test_ray_engine_matches_local(scored, tmp_path):
    pytest.importorskip("ray")
    records = [*scored.records[:2], *scored.records[-2:]]  # two texts, the inline one and the empty one
    distributed = tmp_path / "ray.jsonl"
    score_backlog(records, distributed, settings=FAKE, engine="ray", workers=2, batch_size=2)
    assert _outcomes(distributed) == _outcomes(scored.jsonl, {r.id for r in records})
