"""Ingest: any input (file, upload, text, form fields) → one normalised SourceText."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import EmptyDocumentError, PolicyAlignError, UnreadableDocumentError
from analysis.ingest.formats import READERS, RawText, read_bytes
from analysis.ingest.language import detect_language
from analysis.ingest.normalise import clean_characters, normalise

__all__ = ["READERS", "SourceText", "from_fields", "from_raw", "from_text", "read_path", "read_upload"]

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
             keep_line: LinePredicate | None = None) -> SourceText:
    hints = {" ".join(clean_characters(h).split()) for h in raw.headings}

    def protected(line: str) -> bool:
        return line in hints or (keep_line is not None and keep_line(line))

    text = normalise(raw.text, is_word=is_word, keep_line=protected)
    if not any(ch.isalpha() for ch in text):
        raise EmptyDocumentError("the document contains no words", source=source)
    language, confidence = detect_language(text)
    return SourceText(text, source, raw.format, language, confidence, hints)

def read_upload(data: bytes, filename: str, **options) -> SourceText:
    """Bytes with the name they came with (upload, archive member, batch file)."""
    try:
        raw = read_bytes(data, Path(filename).suffix)
    except PolicyAlignError as error:
        error.source = filename
        raise
    return from_raw(raw, filename, **options)

def read_path(path: Path | str, **options) -> SourceText:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UnreadableDocumentError("file not found", source=str(path)) from error
    except IsADirectoryError as error:
        raise UnreadableDocumentError("is a directory, not a file", source=str(path)) from error
    except OSError as error:
        raise UnreadableDocumentError(f"cannot read file: {error.strerror}", source=str(path)) from error
    try:
        return read_upload(data, path.name, **options)
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
