"""PDF and DOCX parsing in a short-lived child process with memory, CPU and wall-clock limits.

pdfminer, pypdf, python-docx and lxml were not written for hostile files: a decompression bomb
or a pathological page can take gigabytes or minutes. Each parse therefore runs in a fresh child
forked from a clean forkserver (no model weights, no threads) that has ``RLIMIT_AS`` and
``RLIMIT_CPU`` set before it touches the bytes; the caller waits at most ``parse_seconds``. A child
that dies or overruns is killed and the next parse gets a new one, so nothing it allocated outlives
it. The CLI, the service and bulk scoring all parse through here.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import resource
import signal
import threading
from typing import Any

from analysis.errors import PolicyAlignError, ResourceLimitError, UnreadableDocumentError
from analysis.ingest.formats import RawText, read_bytes_here
from analysis.ingest.limits import IngestLimits

_PRELOAD = ["analysis.ingest.formats", "pypdf", "pdfplumber", "pdfminer.pdftypes", "docx"]
_context_lock = threading.Lock()
_context: Any = None
last_child_peak_mb: float = 0.0  # peak RSS of the last child that finished on its own (tests, benchmarks)


def _mp_context():
    """The forkserver context, its server preloading the parsers once (forking it then costs milliseconds)."""
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _context = context
        return _context


def _limit_self(limits: IngestLimits) -> None:
    memory = limits.parse_memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = math.ceil(limits.parse_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    die_with_parent()


def die_with_parent(parent_pid: int | None = None) -> None:
    """Linux: ask the kernel to SIGKILL this process when its parent ends (even by kill -9)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent_pid is not None and os.getppid() != parent_pid:  # the parent died before prctl
        os.kill(os.getpid(), signal.SIGKILL)


def _child(connection, data: bytes, suffix: str, limits: IngestLimits) -> None:
    """Runs in the child: parse, send back ("ok", RawText) or a coded error's (kind, code, message)."""
    try:
        _limit_self(limits)
        raw = read_bytes_here(data, suffix, limits)
        connection.send(("ok", raw, _peak_mb()))
    except MemoryError:
        connection.send(("limit", "memory", ""))
    except UnreadableDocumentError as error:
        # lxml reports a failed allocation as a vague syntax error: near the ceiling, it was memory.
        if _peak_mb() > 0.5 * limits.parse_memory_mb:
            connection.send(("limit", "memory", ""))
        else:
            connection.send(("error", type(error).__name__, error.message, _peak_mb()))
    except PolicyAlignError as error:
        connection.send(("error", type(error).__name__, error.message, _peak_mb()))
    except RecursionError:
        connection.send(("error", "UnreadableDocumentError", "the document is nested too deeply to read", _peak_mb()))
    finally:
        connection.close()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _limit_error(limits: IngestLimits, what: str) -> ResourceLimitError:
    return ResourceLimitError(f"the file needs more {what} than allowed (limits: {limits.parse_memory_mb} MB, "
                              f"{limits.parse_seconds:g} s)")


def _error_from(name: str, message: str) -> PolicyAlignError:
    import analysis.errors as errors

    kind = getattr(errors, name, None)
    if not (isinstance(kind, type) and issubclass(kind, PolicyAlignError)) or name == "CorpusError":
        kind = UnreadableDocumentError
    return kind(message)


def _message(receiver, seconds: float) -> tuple[Any, ...]:
    """The child's answer: ("ok", RawText, peak), ("error", name, text, peak) or ("limit", what, "")."""
    try:
        return receiver.recv() if receiver.poll(seconds) else ("limit", "time", "")
    except (EOFError, OSError):  # the child died without a word: the kernel killed it at a limit
        return ("limit", "memory or time", "")


def parse_isolated(data: bytes, suffix: str, limits: IngestLimits) -> RawText:
    """Parse ``data`` in a limited child; any limit hit becomes a ``ResourceLimitError``."""
    context = _mp_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, suffix, limits), name="policyalign-parse")
    process.start()
    sender.close()
    try:
        message = _message(receiver, limits.parse_seconds)
    finally:
        receiver.close()
        _reap(process)
    global last_child_peak_mb
    last_child_peak_mb = message[-1] if message[0] in ("ok", "error") else float("nan")
    if message[0] == "ok":
        return message[1]
    if message[0] == "limit":
        raise _limit_error(limits, message[1])
    raise _error_from(message[1], message[2])


def _reap(process) -> None:
    """Kill a child still running (deadline passed) and collect it, so no zombie or memory remains."""
    process.join(timeout=0.5)
    if process.exitcode is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=5)
    if process.exitcode is not None:
        process.close()
