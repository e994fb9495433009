"""Ingest: any input (file, upload, text, form fields) → one normalised SourceText."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.deadline import checkpoint
from analysis.errors import DocumentTooLargeError, EmptyDocumentError, PolicyAlignError, UnreadableDocumentError
from analysis.ingest.formats import READERS, RawText, read_bytes
from analysis.ingest.language import detect_language
from analysis.ingest.limits import IngestLimits
from analysis.ingest.normalise import clean_characters, normalise

__all__ = ["READERS", "IngestLimits", "SourceText", "from_fields", "from_raw", "from_text", "read_path", "read_upload"]

@dataclass
class SourceText:
    """The normalised text every offset refers to, with what ingest learnt on the way."""

    text: str
    source: str | None
    format: str
    language: str
    language_confidence: float
    heading_hints: set[str] = field(default_factory=set)

LinePredicate = Callable[[str], bool]

def from_raw(raw: RawText, source: str | None, *, is_word: LinePredicate | None = None,
             keep_line: LinePredicate | None = None, limits: IngestLimits | None = None) -> SourceText:
    try:
        (limits or IngestLimits.from_settings()).check_text_length(len(raw.text))
    except PolicyAlignError as error:
        error.source = source
        raise
    hints = {" ".join(clean_characters(h).split()) for h in raw.headings}

    def protected(line: str) -> bool:
        return line in hints or (keep_line is not None and keep_line(line))

    text = normalise(raw.text, is_word=is_word, keep_line=protected)
    checkpoint()
    if not any(ch.isalpha() for ch in text):
        raise EmptyDocumentError("the document contains no words", source=source)
    language, confidence = detect_language(text)
    return SourceText(text, source, raw.format, language, confidence, hints)

def read_upload(data: bytes, filename: str, *, limits: IngestLimits | None = None, **options) -> SourceText:
    """Bytes with the name they came with (upload, archive member, batch file)."""
    try:
        raw = read_bytes(data, Path(filename).suffix, limits)
    except PolicyAlignError as error:
        error.source = filename
        raise
    return from_raw(raw, filename, limits=limits, **options)


def read_file_bytes(path: Path | str, limits: IngestLimits | None = None) -> bytes:
    """The bytes of a regular file, its size checked from the open descriptor before reading.

    Opening never blocks (a FIFO would wait for a writer), and a device, socket or FIFO is refused,
    so ``/dev/zero`` behind a symlink costs nothing.
    """
    limits = limits or IngestLimits.from_settings()
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as error:
        raise UnreadableDocumentError("file not found") from error
    except IsADirectoryError as error:
        raise UnreadableDocumentError("is a directory, not a file") from error
    except OSError as error:
        raise UnreadableDocumentError(f"cannot read file: {error.strerror}") from error
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableDocumentError("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableDocumentError("not a regular file (device, FIFO or socket)")
        if info.st_size > limits.max_file_bytes:
            raise DocumentTooLargeError(f"the file has {info.st_size} bytes; the limit is {limits.max_file_bytes}")
        try:
            data = handle.read(limits.max_file_bytes + 1)
        except OSError as error:
            raise UnreadableDocumentError(f"cannot read file: {error.strerror}") from error
    if len(data) > limits.max_file_bytes:  # it grew after the check
        raise DocumentTooLargeError(f"the file has more than {limits.max_file_bytes} bytes")
    return data


def read_path(path: Path | str, *, limits: IngestLimits | None = None, **options) -> SourceText:
    path = Path(path)
    try:
        data = read_file_bytes(path, limits)
        return read_upload(data, path.name, limits=limits, **options)
    except PolicyAlignError as error:
        error.source = str(path)
        raise


def from_text(text: str, source: str | None = None, **options) -> SourceText:
    if not text.strip():
        raise EmptyDocumentError("the text is empty", source=source)
    return from_raw(RawText(text, "text"), source, **options)

def from_fields(fields: Mapping[str, str], title: str | None = None, source: str | None = None,
                **options) -> SourceText:
    """Intake-form fields become sections: each label is a heading, its answer the body."""
    blocks = [title.strip()] if title and title.strip() else []
    labels = set()
    for label, answer in fields.items():
        if not answer or not answer.strip():
            continue
        label = " ".join(label.split())
        labels.add(label)
        blocks.append(f"{label}\n{answer.strip()}")
    if not blocks or not labels:
        raise EmptyDocumentError("all form fields are empty", source=source)
    raw = RawText("\n\n".join(blocks), "fields", labels)
    return from_raw(raw, source, **options)
