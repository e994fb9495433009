"""Readers for each file format: bytes in, raw text plus layout-known headings out.

Each reader raises a typed error naming the reason, never a library's own
exception, so the CLI, the API and bulk rows can report it in one line.
"""

from __future__ import annotations

import io
import logging
import statistics
import zipfile
from dataclasses import dataclass, field

from analysis.errors import EmptyDocumentError, UnreadableDocumentError, UnsupportedMediaTypeError

logging.getLogger("pdfminer").setLevel(logging.ERROR)
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class RawText:
    """Text as a format gives it, before normalisation, and the lines its layout marks as headings."""

    text: str
    format: str
    headings: set[str] = field(default_factory=set)


def decode_text(data: bytes) -> RawText:
    """UTF-8 (with or without BOM), else cp1252, else latin-1; binary junk is refused."""
    if not data.strip():
        raise EmptyDocumentError("the file is empty")
    if b"\x00" in data[:4096] or _control_ratio(data[:4096]) > 0.05:
        raise UnreadableDocumentError("the file is binary, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return RawText(data.decode(encoding), "text")
        except UnicodeDecodeError:
            continue
    return RawText(data.decode("latin-1"), "text")  # every byte is a latin-1 character


def _control_ratio(sample: bytes) -> float:
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / max(len(sample), 1)


def read_pdf(data: bytes) -> RawText:
    """Text per page with pdfplumber; lines set in bold or a larger font become heading hints."""
    if not data.lstrip().startswith(b"%PDF"):
        raise UnreadableDocumentError("the file is not a PDF (no %PDF header)")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableDocumentError(f"the PDF is corrupt: {error}") from error
    if encrypted:
        raise UnreadableDocumentError("the PDF is encrypted")
    import pdfplumber

    pages: list[str] = []
    headings: set[str] = set()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                headings |= _pdf_heading_lines(page)
    except Exception as error:  # pdfminer raises many unrelated types for broken files
        raise UnreadableDocumentError(f"the PDF cannot be read: {error}") from error
    text = "\n\n".join(pages)
    if not text.strip():
        raise EmptyDocumentError("the PDF has no text layer (scanned image?)")
    return RawText(text, "pdf", headings)


def _pdf_heading_lines(page) -> set[str]:
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    if not words:
        return set()
    body_size = statistics.median(w["size"] for w in words)
    lines: dict[int, list[dict]] = {}
    for word in words:
        lines.setdefault(round(word["top"]), []).append(word)
    found = set()
    for line_words in lines.values():
        bold = all("bold" in w["fontname"].lower() for w in line_words)
        large = min(w["size"] for w in line_words) >= body_size * 1.15
        if (bold or large) and len(line_words) <= 12:
            found.add(" ".join(w["text"] for w in sorted(line_words, key=lambda w: w["x0"])))
    return found


def read_docx(data: bytes) -> RawText:
    """Paragraphs and tables in document order; heading styles become heading hints."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableDocumentError("the file is not a DOCX (not a zip archive)")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors...
        raise UnreadableDocumentError(f"the DOCX cannot be read: {error}") from error
    blocks: list[str] = []
    headings: set[str] = set()
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            style = (paragraph.style.name if paragraph.style is not None else "").lower()
            if text and (style.startswith(("heading", "rubrik", "title"))):
                headings.add(text)
            blocks.append(text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = _unique_cells(row.cells)
                if len(cells) == 2 and len(cells[0].split()) <= 12:
                    headings.add(cells[0])
                    blocks.extend(["", cells[0], cells[1], ""])
                else:
                    blocks.append(" | ".join(cells))
    text = "\n".join(blocks)
    if not text.strip():
        raise EmptyDocumentError("the DOCX has no text")
    return RawText(text, "docx", headings)


def _unique_cells(cells) -> list[str]:
    """Merged cells repeat in python-docx; keep each cell's text once."""
    seen: list[str] = []
    for cell in cells:
        text = cell.text.strip()
        if text and (not seen or seen[-1] != text):
            seen.append(text)
    return seen


READERS = {".txt": decode_text, ".text": decode_text, ".md": decode_text, ".pdf": read_pdf, ".docx": read_docx}


def read_bytes(data: bytes, suffix: str) -> RawText:
    reader = READERS.get(suffix.lower())
    if reader is None:
        raise UnsupportedMediaTypeError(f"unsupported file type {suffix or '(none)'!r}; use .txt, .pdf or .docx")
    return reader(data)
