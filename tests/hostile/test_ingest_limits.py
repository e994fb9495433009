"""Issue 12's hostile files through ingest: the documented error, the child's memory under its ceiling,
and a valid document parsed right after."""

from __future__ import annotations

import math
import time

import pytest

from analysis import ingest
from analysis.errors import DocumentTooLargeError, ResourceLimitError, UnreadableDocumentError
from analysis.ingest import IngestLimits, isolation
from tests.conftest import make_docx
from tests.hostile import probes

MB = probes.MB
LIMITS = IngestLimits.from_settings()
DEADLINE = 15  # seconds, the bound for every probe


def _valid_docx_still_parses() -> None:
    source = ingest.read_upload(make_docx([("Heading 1", "Syfte"), ("Normal", probes.SENTENCE)]), "ok.docx")
    assert "Örebro" in source.text
    assert isolation.last_child_peak_mb < LIMITS.parse_memory_mb


@pytest.mark.parametrize(("make", "suffix", "error", "words"), [
    (lambda: probes.docx_bomb(120 * MB), ".docx", DocumentTooLargeError, "inflates to more than"),
    (lambda: probes.docx_huge_text_node(120 * MB), ".docx", DocumentTooLargeError, "inflates to more than"),
    (lambda: probes.pdf_bomb(80 * MB), ".pdf", DocumentTooLargeError, "PDF stream inflates"),
    (lambda: probes.pdf_many_pages(5000, 50), ".pdf", DocumentTooLargeError, "5000 pages"),
], ids=["docx-bomb", "docx-text-node", "pdf-flate-bomb", "pdf-5000-pages"])
def test_bombs_are_refused_before_the_work(make, suffix, error, words):
    data = make()
    assert len(data) < 2 * MB  # small on disk
    started = time.monotonic()
    with pytest.raises(error, match=words) as caught:
        ingest.read_upload(data, f"probe{suffix}")
    assert time.monotonic() - started < DEADLINE
    assert caught.value.source == f"probe{suffix}" and "\n" not in str(caught.value)
    _valid_docx_still_parses()


def test_a_parse_over_the_time_limit_is_killed_and_reported():
    limits = IngestLimits(**{**LIMITS.__dict__, "parse_seconds": 1.0})
    started = time.monotonic()
    with pytest.raises(ResourceLimitError, match="more time than allowed"):
        ingest.read_upload(probes.pdf_many_pages(200, 3000), "slow.pdf", limits=limits)
    assert time.monotonic() - started < 1.0 + 3  # the deadline, plus fork and kill
    _valid_docx_still_parses()


def test_a_parse_over_the_memory_limit_is_reported_not_fatal():
    limits = IngestLimits(**{**LIMITS.__dict__, "parse_memory_mb": 256, "max_compression_ratio": 10**6,
                             "max_text_chars": 10**9})
    with pytest.raises(ResourceLimitError, match="more memory"):
        ingest.read_upload(probes.docx_bomb(45 * MB), "heavy.docx", limits=limits)
    _valid_docx_still_parses()


def test_the_length_limit_is_checked_on_the_raw_text_before_normalising(monkeypatch):
    calls = []
    monkeypatch.setattr(ingest, "normalise", lambda *a, **k: calls.append(1) or "")
    with pytest.raises(DocumentTooLargeError, match="characters; the limit is 400000"):
        ingest.from_text(probes.huge_text(2 * MB))
    assert not calls


def test_text_then_binary_junk_is_binary():
    with pytest.raises(UnreadableDocumentError, match="binary"):
        ingest.read_upload(probes.text_then_junk(), "junk.txt")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_encodings_are_decoded(encoding):
    data = ((probes.SENTENCE + "\n") * 3).encode(encoding)
    if encoding == "utf-16-le":  # no byte-order mark: recognised by its NUL bytes
        assert not data.startswith(b"\xff\xfe")
    assert "Örebro" in ingest.read_upload(data, "a.txt").text


def test_cli_files_regular_only_and_size_from_stat(tmp_path):
    import os

    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    big = tmp_path / "big.txt"
    probes.big_file(big, 50 * MB)
    started = time.monotonic()
    for path, words in ((fifo, "not a regular file"), (zero, "not a regular file"), (big, "bytes; the limit")):
        with pytest.raises((UnreadableDocumentError, DocumentTooLargeError), match=words):
            ingest.read_path(path)
    assert time.monotonic() - started < 2


def test_limits_come_from_the_settings():
    from analysis.settings import Settings

    limits = IngestLimits.from_settings(Settings(max_pdf_pages=3, parse_seconds=2.5))
    assert limits.max_pdf_pages == 3 and math.isclose(limits.parse_seconds, 2.5)
