"""Run a bulk scoring job: plan (resume, unique ids), score in batches, journal rows in input order."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from analysis.batch.choices import EngineName, RowFormat
from analysis.batch.inputs import InputRecord
from analysis.batch.outputs import Journal, finalise, journal_path
from analysis.batch.rows import error_row
from analysis.batch.scorer import Scorer
from analysis.errors import OutputPathError

log = logging.getLogger("policyalign.batch")


@dataclass
class RunSummary:
    total: int
    skipped: int
    ok: int
    errors: int
    seconds: float

    @property
    def documents_per_second(self) -> float:
        return (self.ok + self.errors) / self.seconds if self.seconds else 0.0


def unique_ids(records: Iterable[InputRecord]) -> list[InputRecord]:
    """A repeated id gets '#2', '#3': every input document keeps its own row."""
    seen: dict[str, int] = {}
    out = []
    for record in records:
        count = seen.get(record.id, 0) + 1
        seen[record.id] = count
        out.append(record if count == 1 else replace(record, id=f"{record.id}#{count}"))
    return out


class Progress:
    """A rich bar on a terminal; quiet, line-based log lines elsewhere."""

    def __init__(self, total: int, done: int) -> None:
        self.total, self.done, self.errors = total, done, 0
        self.started = time.monotonic()
        self._last_line = 0.0
        self._bar = None
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("scoring"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f} dok/s · {task.fields[errors]} fel"),
                TimeRemainingColumn(),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("score", total=total, completed=done, rate=0.0, errors=0)

    def advance(self, rows: list[dict[str, Any]]) -> None:
        self.done += len(rows)
        self.errors += sum(row["status"] == "error" for row in rows)
        rate = (self.done) / max(time.monotonic() - self.started, 1e-6)
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, rate=rate, errors=self.errors)
        elif time.monotonic() - self._last_line > 5 or self.done == self.total:
            self._last_line = time.monotonic()
            log.info("scored %d/%d documents (%d errors, %.1f/s)", self.done, self.total, self.errors, rate)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


_worker: Scorer | None = None


def _init_worker(settings: dict[str, Any], region: str | None, parent_pid: int | None = None) -> None:
    """Load the models once; first tie the worker's life to the parent's, so kill -9 leaves no orphans."""
    global _worker
    from analysis.ingest.isolation import die_with_parent

    die_with_parent(parent_pid)
    _worker = Scorer(settings, region)


def _score_in_worker(records: list[InputRecord]) -> list[dict[str, Any]]:
    assert _worker is not None
    return _worker.score(records)


@dataclass
class _Job:
    batch: int
    records: list[InputRecord]
    retry: bool = False


def _batches(records: list[InputRecord], size: int) -> list[list[InputRecord]]:
    return [records[i : i + size] for i in range(0, len(records), size)]


def run_local(records: list[InputRecord], write: Callable[[list[dict]], None], settings: dict[str, Any],
              region: str | None, workers: int, batch_size: int,
              score_batch: Callable[[list[InputRecord]], list[dict[str, Any]]] = _score_in_worker) -> None:
    """Score in input order. One worker: in this process. More: a process pool whose workers load the
    models once; a crashed worker's batch is retried once, one document at a time, then recorded as an error."""
    batches = _batches(records, batch_size)
    if workers <= 1:
        scorer = Scorer(settings, region)
        for batch in batches:
            write(scorer.score(batch))
        return
    results: dict[int, dict[str, dict]] = {}
    expected = {index: len(batch) for index, batch in enumerate(batches)}
    queue = [_Job(index, batch) for index, batch in enumerate(batches)]
    next_batch = 0
    context = get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(settings, region, os.getpid()))
    in_flight: dict[Future, _Job] = {}
    try:
        while queue or in_flight:
            # Retried documents run one at a time, so a second crash is blamed on the right one.
            quarantine = any(job.retry for job in in_flight.values()) or (queue and queue[0].retry)
            while queue and len(in_flight) < (1 if quarantine else 2 * workers):
                job = queue.pop(0)
                in_flight[pool.submit(score_batch, job.records)] = job
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken: list[_Job] = []
            for future in finished:
                job = in_flight.pop(future)
                try:
                    rows = future.result()
                except BrokenProcessPool:
                    broken.append(job)
                    continue
                results.setdefault(job.batch, {}).update({row["id"]: row for row in rows})
            if broken:
                broken += list(in_flight.values())  # a dead pool fails everything in flight
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                           initargs=(settings, region, os.getpid()))
                for job in broken:
                    if job.retry:
                        record = job.records[0]
                        log.warning("worker crashed twice on %s; recorded as an error", record.id)
                        results.setdefault(job.batch, {})[record.id] = error_row(
                            record.id, record.source, "worker-crashed",
                            "the worker process died while scoring this document, also on retry")
                    else:
                        queue[:0] = [_Job(job.batch, [record], retry=True) for record in job.records]
            while next_batch in results and len(results[next_batch]) == expected[next_batch]:
                by_id = results.pop(next_batch)
                write([by_id[record.id] for record in batches[next_batch]])
                next_batch += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def check_output(out: Path, output_format: RowFormat) -> None:
    """Fail before any scoring when the output (or its journal) cannot be written."""
    targets = {out, journal_path(out, output_format)}
    for target in sorted(targets):
        if target.is_dir():
            raise OutputPathError("is a directory; give a file name", source=str(target))
        parent = target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputPathError(f"cannot create its folder: {error.strerror}", source=str(target)) from None
        probe = target.with_name(f".{target.name}.write-test")
        try:
            probe.touch()
            probe.unlink()
        except OSError as error:
            raise OutputPathError(f"cannot write here: {error.strerror}", source=str(target)) from None
        if target.exists() and not os.access(target, os.W_OK):
            raise OutputPathError("cannot write here: permission denied", source=str(target))


def score_backlog(
    records: Iterable[InputRecord],
    out: Path,
    output_format: RowFormat = RowFormat.jsonl,
    *,
    settings: dict[str, Any] | None = None,
    region: str | None = None,
    workers: int = 1,
    batch_size: int = 16,
    resume: bool = False,
    engine: EngineName = EngineName.local,
) -> RunSummary:
    """The whole job: every input yields exactly one row in ``out``."""
    started = time.monotonic()
    check_output(out, output_format)
    settings = settings or {}
    planned = unique_ids(records)
    journal = Journal(journal_path(out, output_format), resume)
    todo = [record for record in planned if record.id not in journal.done]
    progress = Progress(len(planned), len(planned) - len(todo))
    counts = {"ok": 0, "error": 0}

    def write(rows: list[dict]) -> None:
        journal.write(rows)
        for row in rows:
            counts[row["status"]] += 1
        progress.advance(rows)

    try:
        if engine == EngineName.ray:
            from analysis.batch.ray_engine import run_ray

            run_ray(todo, write, settings, region, workers, batch_size)
        else:
            run_local(todo, write, settings, region, workers, batch_size)
    finally:
        progress.close()
        journal.close()
    finalise(journal.path, out, output_format, settings)
    return RunSummary(len(planned), len(planned) - len(todo), counts["ok"], counts["error"], time.monotonic() - started)
