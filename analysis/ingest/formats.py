"""Readers for each file format: bytes in, raw text plus layout-known headings out.

Each reader raises a typed error naming the reason, never a library's own
exception, so the CLI, the API and bulk rows can report it in one line.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import statistics
import zipfile
import zlib
from dataclasses import dataclass, field

from analysis.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    PolicyAlignError,
    UnreadableDocumentError,
    UnsupportedMediaTypeError,
)
from analysis.ingest.limits import IngestLimits

logging.getLogger("pdfminer").setLevel(logging.ERROR)
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class RawText:
    """Text as a format gives it, before normalisation, and the lines its layout marks as headings."""

    text: str
    format: str
    headings: set[str] = field(default_factory=set)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32 LE starts like UTF-16 LE
_CONTROLS = "".join(chr(c) for c in range(32) if c not in (9, 10, 11, 12, 13)) + "\x7f"
_CONTROL_CHARACTER = re.compile(f"[{re.escape(_CONTROLS)}]")  # a regex class scans in C; str.translate does not
MAX_CONTROL_SHARE = 0.01


def _bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark names, or UTF-16 recognised by its NUL bytes when the mark is missing."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    half = max(len(data) // 2, 1)
    odd_nuls, even_nuls = data[1::2].count(0) / half, data[0::2].count(0) / half
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> str:
    encoding = _bom_encoding(data)
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            raise UnreadableDocumentError(f"the file is not valid {encoding.upper()} text") from error
    for candidate in ("utf-8", "cp1252"):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a latin-1 character


def decode_text(data: bytes, limits: IngestLimits | None = None) -> RawText:
    """BOM-marked UTF-8/16/32, UTF-16 without a mark, UTF-8, else cp1252, else latin-1.

    Binary content is refused by the share of control characters over the whole text (and any NUL),
    so junk after a text-like head is caught too.
    """
    if not data.strip():
        raise EmptyDocumentError("the file is empty")
    text = _decode(data)
    if limits is not None:
        limits.check_text_length(len(text))
    controls = sum(1 for _ in _CONTROL_CHARACTER.finditer(text))
    if "\x00" in text or controls > MAX_CONTROL_SHARE * len(text):
        raise UnreadableDocumentError("the file is binary, not text")
    if not text.strip():
        raise EmptyDocumentError("the file is empty")
    return RawText(text, "text")


def read_pdf(data: bytes, limits: IngestLimits) -> RawText:
    """Text per page with pdfplumber; lines set in bold or a larger font become heading hints.

    The page count is checked before any page is read, every stream inflates under a cap, and
    extraction stops as soon as the text passes the length limit.
    """
    if not data.lstrip().startswith(b"%PDF"):
        raise UnreadableDocumentError("the file is not a PDF (no %PDF header)")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else _page_count(reader)
    except PolicyAlignError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise UnreadableDocumentError(f"the PDF is corrupt: {error}") from error
    if encrypted:
        raise UnreadableDocumentError("the PDF is encrypted")
    if pages > limits.max_pdf_pages:
        raise DocumentTooLargeError(f"the PDF has {pages} pages; the limit is {limits.max_pdf_pages}")
    text, headings = _pdf_text(data, limits)
    if not text.strip():
        raise EmptyDocumentError("the PDF has no text layer (scanned image?)")
    return RawText(text, "pdf", headings)


def _page_count(reader) -> int:
    """The page tree's own /Count (no walk over 5 000 page objects); the walk only when it is missing."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count.get_object() if hasattr(count, "get_object") else count)
    except (KeyError, TypeError, ValueError, AttributeError):
        return len(reader.pages)


def _pdf_text(data: bytes, limits: IngestLimits) -> tuple[str, set[str]]:
    import pdfplumber

    cap_pdf_streams(limits.max_inflated_bytes)
    pages: list[str] = []
    headings: set[str] = set()
    length = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                length += len(pages[-1]) + 2
                limits.check_text_length(length)
                headings |= _pdf_heading_lines(page)
                page.close()  # drop the page's cached layout objects before the next page
    except (PolicyAlignError, MemoryError):
        raise
    except Exception as error:  # pdfminer raises many unrelated types for broken files
        if (cause := _wrapped_limit(error)) is not None:
            raise cause from error
        raise UnreadableDocumentError(f"the PDF cannot be read: {type(error).__name__}") from error
    return "\n\n".join(pages), headings


def _wrapped_limit(error: BaseException | None) -> BaseException | None:
    """pdfplumber wraps what pdfminer raises (our stream cap too): find a limit error inside."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, (PolicyAlignError, MemoryError)):
            return error
        inner = next((arg for arg in error.args if isinstance(arg, BaseException)), None)
        error, seen = inner or error.__cause__ or error.__context__, seen + 1
    return None


class _CappedInflater:
    """zlib's decompressobj with a ceiling on the bytes it hands out."""

    def __init__(self, cap: int, *args) -> None:
        self._inner = zlib.decompressobj(*args)
        self._left = cap
        self._cap = cap

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._inner.decompress(data, self._left + 1)
        self._left -= len(out)
        if self._left < 0:
            raise DocumentTooLargeError(f"a PDF stream inflates to more than {self._cap // 2**20} MB")
        return out

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class _CappedZlib:
    """Stands in for the ``zlib`` module inside pdfminer, which inflates whole streams with no bound."""

    error = zlib.error

    def __init__(self, cap: int) -> None:
        self.cap = cap

    def decompressobj(self, *args) -> _CappedInflater:
        return _CappedInflater(self.cap, *args)

    def decompress(self, data: bytes, *args) -> bytes:
        inflater = self.decompressobj()
        out = inflater.decompress(data)
        if not inflater.eof and not out:
            raise zlib.error("incomplete or truncated stream")
        return out


def cap_pdf_streams(cap: int) -> None:
    """Bound every FlateDecode stream pdfminer inflates (it runs in the parsing process only)."""
    import pdfminer.pdftypes

    current = pdfminer.pdftypes.zlib
    if not (isinstance(current, _CappedZlib) and current.cap == cap):
        # A module-shaped stand-in: pdfminer only uses zlib.decompressobj and zlib.error through this name.
        pdfminer.pdftypes.zlib = _CappedZlib(cap)  # type: ignore[assignment]


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


def read_docx(data: bytes, limits: IngestLimits) -> RawText:
    """Paragraphs and tables in document order; heading styles become heading hints.

    The zip directory is checked (member sizes, compression ratio) before anything is inflated.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableDocumentError("the file is not a DOCX (not a zip archive)") from error
    check_zip_directory(archive.infolist(), limits)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors...
        raise UnreadableDocumentError(f"the DOCX cannot be read (damaged or not a Word document: "
                                      f"{type(error).__name__})") from error
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


def check_zip_directory(members: list[zipfile.ZipInfo], limits: IngestLimits) -> None:
    """Refuse a zip bomb from its directory alone: zipfile never inflates past a member's declared size."""
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.max_inflated_bytes or total > 2 * limits.max_inflated_bytes:
            raise DocumentTooLargeError(f"the DOCX inflates to more than {limits.max_inflated_bytes // 2**20} MB "
                                        f"({member.filename})")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 2**20 and ratio > limits.max_compression_ratio:
            raise DocumentTooLargeError(f"a DOCX member is compressed {ratio:.0f} to 1; the limit is "
                                        f"{limits.max_compression_ratio} ({member.filename})")


def _unique_cells(cells) -> list[str]:
    """Merged cells repeat in python-docx; keep each cell's text once."""
    seen: list[str] = []
    for cell in cells:
        text = cell.text.strip()
        if text and (not seen or seen[-1] != text):
            seen.append(text)
    return seen


READERS = {".txt": decode_text, ".text": decode_text, ".md": decode_text, ".pdf": read_pdf, ".docx": read_docx}
ISOLATED = {".pdf", ".docx"}  # parsed by third-party libraries: only ever inside a limited process


def read_bytes_here(data: bytes, suffix: str, limits: IngestLimits) -> RawText:
    """Parse in this process. Only for plain text or inside an isolated parsing process."""
    reader = READERS.get(suffix.lower())
    if reader is None:
        raise UnsupportedMediaTypeError(f"unsupported file type {suffix or '(none)'!r}; use .txt, .pdf or .docx")
    raw = reader(data, limits)
    limits.check_text_length(len(raw.text))
    return raw


def read_bytes(data: bytes, suffix: str, limits: IngestLimits | None = None) -> RawText:
    """Bytes → raw text; PDF and DOCX go through an isolated process with memory, CPU and time limits."""
    limits = limits or IngestLimits.from_settings()
    if len(data) > limits.max_file_bytes:
        raise DocumentTooLargeError(f"the file has {len(data)} bytes; the limit is {limits.max_file_bytes}")
    if suffix.lower() in ISOLATED:
        from analysis.ingest.isolation import parse_isolated

        return parse_isolated(data, suffix.lower(), limits)
    return read_bytes_here(data, suffix, limits)
