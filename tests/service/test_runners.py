"""The pool of analysis processes `serve` runs: same answers as threads, deadlines, cancellation, recovery."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import psutil
import pytest
from fastapi.testclient import TestClient

from analysis.deadline import checkpoint
from analysis.errors import ResourceLimitError
from analysis.pipeline import Analyzer
from analysis.settings import Settings
from service.app import create_app
from service.runners import ProcessRunner

SEED = (Path(__file__).resolve().parents[2] / "examples" / "medfinansiering-tech-kluster-orebro-lan.txt").read_text(
    encoding="utf-8")


class WaitForCancel:
    """A job that only stops at a checkpoint: when its flag is set or its deadline passes."""

    def __call__(self, analyzer: Analyzer) -> str:
        while True:
            checkpoint()
            time.sleep(0.01)


class Pid:
    """Long enough that the other process, even on a loaded machine, takes the next job."""

    def __call__(self, analyzer: Analyzer) -> int:
        time.sleep(1.0)
        return os.getpid()


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    settings = Settings(analysis_processes=2, data_dir=tmp_path_factory.mktemp("data"))
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def _pool_pids(client: TestClient) -> set[int]:
    executor = client.app.state.runner._pool.result()
    return set(executor._processes)


def test_the_pool_answers_as_the_threads_do(pooled, client):
    body = {"text": SEED, "include_text": True}
    in_processes, in_threads = pooled.post("/v1/analyses", json=body), client.post("/v1/analyses", json=body)
    assert in_processes.status_code == in_threads.status_code == 200
    drop = {"generated_at", "duration_ms", "id"}

    def stable(result: dict) -> dict:
        return {key: value for key, value in result.items() if key not in drop}

    assert stable(in_processes.json()) == stable(in_threads.json())
    assert pooled.get("/readyz").json()["models"] == client.get("/readyz").json()["models"]


def test_refused_input_is_the_same_coded_problem(pooled):
    english = "The weather is nice today and the sun is shining."
    response = pooled.post("/v1/analyses", json={"text": english})
    assert response.status_code == 422
    assert response.json()["type"].endswith("/language-not-supported")
    batch = pooled.post("/v1/analyses/batch", json={"items": [{"text": SEED}, {"text": english}]})
    assert batch.status_code == 207 and [item["status"] for item in batch.json()["results"]] == ["ok", "error"]


def test_an_upload_is_parsed_in_the_analysis_process(pooled):
    from tests.conftest import make_docx

    docx = make_docx([("Heading 1", "Syfte"), ("Normal", SEED)])
    response = pooled.post("/v1/analyses/file", files={"file": ("ansokan.docx", docx)})
    assert response.status_code == 200, response.text
    assert response.json()["facts"]["amount_sek"] == 1_493_000
    broken = pooled.post("/v1/analyses/file", files={"file": ("ansokan.pdf", b"not a pdf")})
    assert broken.status_code == 422 and broken.json()["type"].endswith("/unreadable-document")


def test_each_request_goes_to_a_free_process(pooled):
    runner = pooled.app.state.runner

    async def both() -> list[int]:
        return await asyncio.gather(*(runner.run(Pid(), 5, runner.cancellation()) for _ in range(2)))

    assert len(set(pooled.portal.call(both))) == 2


def test_a_set_flag_stops_the_analysis_in_its_process(pooled):
    runner = pooled.app.state.runner

    async def cancel_soon() -> None:
        cancelled = runner.cancellation()
        asyncio.get_running_loop().call_later(0.3, cancelled.set)
        await runner.run(WaitForCancel(), 30, cancelled)

    started = time.monotonic()
    with pytest.raises(ResourceLimitError, match="abandoned"):
        pooled.portal.call(cancel_soon)
    assert time.monotonic() - started < 5


def test_the_deadline_holds_in_the_process(pooled):
    runner = pooled.app.state.runner
    with pytest.raises(ResourceLimitError, match="more time"):
        pooled.portal.call(lambda: runner.run(WaitForCancel(), 0.3, runner.cancellation()))


def test_a_killed_process_is_replaced_and_the_service_keeps_serving(pooled):
    before = _pool_pids(pooled)
    os.kill(next(iter(before)), signal.SIGKILL)
    psutil.wait_procs([psutil.Process(pid) for pid in before if psutil.pid_exists(pid)], timeout=0.5)
    first = pooled.post("/v1/analyses", json={"text": SEED})
    assert first.status_code in (200, 422)  # the request the dead process held gets a coded problem
    if first.status_code == 422:
        assert first.json()["type"].endswith("/resource-limit")
    deadline = time.monotonic() + 120
    while (response := pooled.post("/v1/analyses", json={"text": SEED})).status_code != 200:
        assert time.monotonic() < deadline, response.text
    assert _pool_pids(pooled).isdisjoint(before)


def test_processes_are_recycled_after_their_quota(tmp_path):
    settings = Settings(analysis_processes=1, worker_max_requests=2, data_dir=tmp_path)
    with TestClient(create_app(settings), raise_server_exceptions=False) as pooled:
        first = _pool_pids(pooled)
        for _ in range(3):
            assert pooled.post("/v1/analyses", json={"text": SEED}).status_code == 200
        deadline = time.monotonic() + 120
        while _pool_pids(pooled) == first:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert pooled.post("/v1/analyses", json={"text": SEED}).status_code == 200


def test_a_process_runner_must_be_started():
    runner = ProcessRunner(Settings(), 1)
    with pytest.raises(RuntimeError, match="start"):
        asyncio.run(runner.run(Pid(), 1, runner.cancellation()))


def test_nothing_outlives_a_killed_server(tmp_path):
    """kill -9 of the HTTP process: its analysis processes and their forkserver end too."""
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "POLICYALIGN_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "analysis.cli", "serve", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert time.monotonic() < deadline and server.poll() is None
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        below = psutil.Process(server.pid).children(recursive=True)
        assert len(below) >= 2  # the forkserver and the analysis process (and the resource tracker)
    finally:
        server.kill()
        server.wait()
    _, alive = psutil.wait_procs(below, timeout=10)
    assert not alive
