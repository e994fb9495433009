"""Where the service's analyses run: threads of this process, or a pool of analysis processes.

Why a pool: uvicorn workers share one listening socket and the kernel hands keep-alive connections out
unevenly (8 connections split anywhere from 8/0 to 4/4), so one worker queues every request while the
other idles. One HTTP process feeding N analysis processes from one queue balances per request instead:
the next free process takes the next analysis. Each process loads the models once; a process that dies
is replaced with its whole pool (the request gets a coded error, the service keeps serving), and after
``worker_max_requests`` analyses per process a fresh pool is warmed and swapped in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import psutil
from anyio import CapacityLimiter, to_thread

from analysis.deadline import Cancellation, deadline
from analysis.errors import ResourceLimitError
from analysis.pipeline import Analyzer, settle_process
from analysis.settings import Settings
from service.jobs import Job

log = logging.getLogger("policyalign.service")


class Runner(ABC):
    """Runs jobs under a deadline, at most ``concurrency`` at once; the rest wait in line."""

    concurrency: int

    @abstractmethod
    async def start(self) -> None:
        """Load and warm what the analyses need, before traffic arrives."""

    @abstractmethod
    def close(self) -> None:
        """Stop what ``start`` started."""

    @abstractmethod
    def cancellation(self) -> Cancellation:
        """A fresh flag for one ``run``: set it and the analysis stops at its next checkpoint."""

    @abstractmethod
    async def run(self, job: Job[Any], seconds: float, cancelled: Cancellation) -> Any:
        """The job's result; raises what the job raises."""

    @abstractmethod
    def model_versions(self) -> dict[str, str]:
        """The versions of the models the analyses use (for /readyz)."""

    def rss_mb(self) -> float:
        """Resident memory of the largest process that analyses."""
        return float(psutil.Process().memory_info().rss / 2**20)


class ThreadRunner(Runner):
    """Analyses in ``analysis_threads`` threads of this process, with the analyzer it was given (tests) or
    one it loads at start."""

    def __init__(self, settings: Settings, analyzer: Analyzer | None = None) -> None:
        self.settings = settings
        self._analyzer = analyzer
        self.concurrency = settings.analysis_threads
        self.limiter = CapacityLimiter(self.concurrency)

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            raise RuntimeError("ThreadRunner.start() was not awaited")
        return self._analyzer

    async def start(self) -> None:
        if self._analyzer is None:
            self._analyzer = await to_thread.run_sync(Analyzer.create, self.settings)
        await to_thread.run_sync(self.analyzer.warm_up)

    def close(self) -> None:
        """Nothing to stop: the threads belong to anyio's pool."""

    def cancellation(self) -> Cancellation:
        return threading.Event()

    async def run(self, job: Job[Any], seconds: float, cancelled: Cancellation) -> Any:
        def work() -> Any:
            with deadline(seconds, cancelled):
                return job(self.analyzer)

        return await to_thread.run_sync(work, limiter=self.limiter, abandon_on_cancel=True)

    def model_versions(self) -> dict[str, str]:
        return self.analyzer.versions(self.analyzer.corpus.manifest.default_region).models


class _SharedFlag:
    """A cancel flag in memory shared with the analysis processes: set here, read at their checkpoints."""

    def __init__(self, flags: Any, index: int) -> None:
        self.flags = flags
        self.index = index

    def set(self) -> None:
        self.flags[self.index] = 1

    def is_set(self) -> bool:
        return bool(self.flags[self.index])


class ProcessRunner(Runner):
    """Analyses in ``processes`` processes fed from one queue (see the module docstring)."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self.settings = settings
        self.concurrency = processes
        slots = 2 * (processes + settings.max_waiting_requests)  # abandoned analyses hold theirs until they stop
        self._context = multiprocessing.get_context("forkserver")
        # Forked from a server that imported the pipeline once: workers start faster and share those pages.
        self._context.set_forkserver_preload(["service.runners"])
        self._flags = self._context.RawArray("b", slots)
        self._free = deque(range(slots))
        self._pool: asyncio.Future[ProcessPoolExecutor] | None = None
        self._versions: dict[str, str] = {}
        self._finished = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        self._pool = asyncio.get_running_loop().create_future()
        self._pool.set_result(await self._new_pool())

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._pool is not None and self._pool.done() and not self._pool.cancelled():
            # Waits for running analyses (each within its deadline), so every process has ended on return.
            self._pool.result().shutdown(wait=True, cancel_futures=True)

    async def _new_pool(self) -> ProcessPoolExecutor:
        """A pool whose processes have all loaded the models (one warm-up job each starts them all)."""
        executor = ProcessPoolExecutor(self.concurrency, mp_context=self._context, initializer=_start_worker,
                                       initargs=(self.settings, self._flags, os.getpid()))
        started = [asyncio.wrap_future(executor.submit(_model_versions)) for _ in range(self.concurrency)]
        self._versions = (await asyncio.gather(*started))[0]
        return executor

    def cancellation(self) -> Cancellation:
        if not self._free:  # every slot is held by a running or abandoned analysis: the deadline still holds
            return threading.Event()
        index = self._free.popleft()
        self._flags[index] = 0
        return _SharedFlag(self._flags, index)

    async def run(self, job: Job[Any], seconds: float, cancelled: Cancellation) -> Any:
        if self._pool is None:
            raise RuntimeError("ProcessRunner.start() was not awaited")
        index = cancelled.index if isinstance(cancelled, _SharedFlag) else -1
        executor: ProcessPoolExecutor | None = None
        future: Future[Any] | None = None
        try:
            executor = await asyncio.shield(self._pool)
            future = executor.submit(_run_job, job, seconds, index)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            assert executor is not None
            self._replace(executor, "an analysis process stopped")
            raise ResourceLimitError("the analysis process stopped before it finished (the input may need more "
                                     "memory than allowed); the service has started a new one") from None
        finally:
            if index >= 0:  # the slot is free again once its analysis has really ended
                if future is None:
                    self._free.append(index)
                else:
                    future.add_done_callback(lambda _: self._free.append(index))
            if executor is not None:
                self._count(executor)

    def _count(self, executor: ProcessPoolExecutor) -> None:
        """Swap in a fresh pool after ``worker_max_requests`` analyses per process (returns what they grew)."""
        self._finished += 1
        limit = self.settings.worker_max_requests * self.concurrency
        if limit and self._finished >= limit:
            self._finished = 0
            self._replace(executor, "recycling after worker_max_requests analyses", keep_serving=True)

    def _replace(self, executor: ProcessPoolExecutor, reason: str, keep_serving: bool = False) -> None:
        """Start a new pool once per old one; requests wait for it unless the old one can still serve."""
        if self._pool is None or not self._pool.done() or self._pool.result() is not executor:
            return
        log.warning("analysis pool replaced", extra={"reason": reason})
        loop = asyncio.get_running_loop()
        fresh: asyncio.Future[ProcessPoolExecutor] = loop.create_future()
        if not keep_serving:
            self._pool = fresh

        async def build() -> None:
            try:
                pool = await self._new_pool()
            except Exception:  # a broken pool is replaced again by the next request; a recycled one serves on
                log.exception("a new analysis pool did not start")
                pool = executor
            else:
                executor.shutdown(wait=False)  # analyses already queued on the old pool still finish
            fresh.set_result(pool)
            self._pool = fresh

        task = loop.create_task(build())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def model_versions(self) -> dict[str, str]:
        return self._versions

    def rss_mb(self) -> float:
        processes = [psutil.Process(), *psutil.Process().children(recursive=True)]
        sizes = []
        for process in processes:
            with contextlib.suppress(psutil.Error):
                sizes.append(process.memory_info().rss)
        return max(sizes) / 2**20


# ---- inside an analysis process ---------------------------------------------------------------------
_analyzer: Analyzer | None = None
_flags: Any = None


def _start_worker(settings: Settings, flags: Any, server_pid: int) -> None:
    """Load the models once, warm them, and keep them out of the cyclic GC's reach (see service/app.py)."""
    global _analyzer, _flags
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the HTTP process stops us
    threading.Thread(target=_exit_without, args=(psutil.Process(server_pid),), daemon=True).start()
    _analyzer, _flags = Analyzer.create(settings), flags
    _analyzer.warm_up()
    settle_process(settings)


def _exit_without(server: psutil.Process) -> None:
    """End this process once the HTTP process has gone, even by kill -9 (our parent is the forkserver, which
    itself waits for us: neither would ever end)."""
    while server.is_running():
        time.sleep(1.0)
    os._exit(0)


def _model_versions() -> dict[str, str]:
    assert _analyzer is not None
    return _analyzer.versions(_analyzer.corpus.manifest.default_region).models


def _run_job(job: Job[Any], seconds: float, index: int) -> Any:
    assert _analyzer is not None
    cancelled: Cancellation = _SharedFlag(_flags, index) if index >= 0 else threading.Event()
    with deadline(seconds, cancelled):
        return job(_analyzer)
