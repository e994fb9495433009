"""Issue 12 through the CLI (exit 2, one line) and bulk scoring (error rows, output checked first,
no orphan workers after kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.batch.outputs import read_rows
from analysis.cli import app
from tests.conftest import ROOT, SEED
from tests.hostile import probes

MB = probes.MB
runner = CliRunner()


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "bomb.docx").write_bytes(probes.docx_bomb(120 * MB))
    (folder / "bomb.pdf").write_bytes(probes.pdf_bomb(80 * MB))
    (folder / "pages.pdf").write_bytes(probes.pdf_many_pages(5000, 50))
    (folder / "junk.txt").write_bytes(probes.text_then_junk())
    (folder / "huge.txt").write_text(probes.huge_text(5 * MB), encoding="utf-8")
    (folder / "utf16.txt").write_bytes(probes.utf16_with_bom())
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    return folder


def _one_line_exit_2(result, words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize(("name", "words"), [
    ("bomb.docx", "inflates to more than"), ("bomb.pdf", "PDF stream inflates"), ("pages.pdf", "5000 pages"),
    ("junk.txt", "binary"), ("huge.txt", "the limit is"),
])
def test_cli_hostile_files(hostile_folder, name, words):
    started = time.monotonic()
    result = runner.invoke(app, ["analyze", str(hostile_folder / name), "--embedder", "fake"])
    _one_line_exit_2(result, words)
    assert time.monotonic() - started < 15


def test_cli_fifo_dev_zero_and_big_file(tmp_path):
    fifo, zero, big = tmp_path / "fifo.txt", tmp_path / "zero.txt", tmp_path / "big.txt"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    probes.big_file(big, 50 * MB)
    for path, words in ((fifo, "not a regular file"), (zero, "not a regular file"), (big, "bytes; the limit")):
        started = time.monotonic()
        _one_line_exit_2(runner.invoke(app, ["analyze", str(path), "--embedder", "fake"]), words)
        assert time.monotonic() - started < 10


def test_score_output_is_checked_before_scoring(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for out, words in ((tmp_path, "is a directory"), (a_file / "out.csv", "cannot")):
        result = runner.invoke(app, ["score", str(SEED), "--out", str(out), "--format", "csv", "--embedder", "fake"])
        _one_line_exit_2(result, words)


def test_bulk_gives_each_hostile_file_an_error_row(hostile_folder, tmp_path):
    out = tmp_path / "rows.jsonl"
    result = runner.invoke(app, ["score", str(hostile_folder), "--out", str(out), "--embedder", "fake"])
    assert result.exit_code == 0, result.output
    rows = {Path(row["id"]).name: row for row in read_rows(out)}
    expected = {"bomb.docx": "document-too-large", "bomb.pdf": "document-too-large", "pages.pdf": "document-too-large",
                "junk.txt": "unreadable-document", "huge.txt": "document-too-large"}
    assert {name: rows[name]["error"]["type"] for name in expected} == expected
    assert rows["utf16.txt"]["status"] == rows["seed.txt"]["status"] == "ok"


def test_the_error_type_has_a_swedish_label():
    from analysis.labels import sv

    assert sv("error_type", "resource-limit") == "filen kräver mer minne eller tid än tillåtet"


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def test_kill_9_of_score_leaves_no_workers(tmp_path):
    import psutil

    folder = tmp_path / "many"
    folder.mkdir()
    for copy in range(200):
        (folder / f"{copy}.txt").write_bytes(SEED.read_bytes())
    command = [sys.executable, "-m", "analysis.cli", "score", str(folder), "--out", str(tmp_path / "o.jsonl"),
               "--embedder", "fake", "--workers", "2", "--batch-size", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [pid for pid in _children(process.pid)
                   if "_init_worker" in " ".join(psutil.Process(pid).cmdline()) or "spawn_main" in " ".join(
                       psutil.Process(pid).cmdline())]
        time.sleep(0.2)
    assert len(workers) >= 2, "the workers should have started"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
                                              for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    assert not alive, f"orphan workers {alive}"
