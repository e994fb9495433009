"""Hostile inputs made at run time: small on disk, bomb-like inside (issue 12's table).

Shared by tests/hostile/ and benchmarks/hostile_inputs.py. Sizes are parameters so the tests
stay fast (a bomb just past each limit) while the benchmark can rebuild the issue's full sizes.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib

MB = 2**20

_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  b'<Default Extension="xml" ContentType="application/xml"/>'
                  b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                  b'wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         b'officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
_DOC_TAIL = b"</w:body></w:document>"


def _deflate_repeated(head: bytes, unit: bytes, count: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + unit*count + tail without holding the inflated bytes; (data, crc, size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = unit * max(1, MB // len(unit))
    parts, crc, size = [compressor.compress(head)], zlib.crc32(head), len(head)
    left = count * len(unit)
    while left > 0:
        piece = chunk if left >= len(chunk) else chunk[:left]
        parts.append(compressor.compress(piece))
        crc, size, left = zlib.crc32(piece, crc), size + len(piece), left - len(piece)
    parts += [compressor.compress(tail), compressor.flush()]
    return b"".join(parts), zlib.crc32(tail, crc), size + len(tail)


def _docx_with_document(deflated: bytes, crc: int, size: int) -> bytes:
    """A DOCX whose word/document.xml is the given raw-deflate stream (written without inflating it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        info = zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.compress_size, info.file_size = crc, len(deflated), size
        # zipfile has no API for pre-compressed data: write the header and the stream ourselves.
        archive.fp.seek(archive.start_dir)
        info.header_offset = archive.start_dir
        info.flag_bits |= 0x800
        archive.fp.write(info.FileHeader(zip64=size > zipfile.ZIP64_LIMIT))
        archive.fp.write(deflated)
        archive.start_dir = archive.fp.tell()
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
    return buffer.getvalue()


def docx_bomb(inflated: int = 1024 * MB) -> bytes:
    """Many small paragraphs: document.xml inflates to ``inflated`` bytes."""
    unit = b"<w:p><w:r><w:t>Projektet st\xc3\xa4rker f\xc3\xb6retagen.</w:t></w:r></w:p>"
    return _docx_with_document(*_deflate_repeated(_DOC_HEAD, unit, inflated // len(unit), _DOC_TAIL))


def docx_huge_text_node(inflated: int = 1024 * MB) -> bytes:
    """One text node of ``inflated`` bytes."""
    return _docx_with_document(*_deflate_repeated(_DOC_HEAD + b"<w:p><w:r><w:t>", b"a", inflated,
                                                  b"</w:t></w:r></w:p>" + _DOC_TAIL))


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 = catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, flate: bool) -> bytes:
    filter_ = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), filter_) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 3 0 R >> >> >>")


def pdf_bomb(inflated: int = 1024 * MB) -> bytes:
    """One page whose content stream is a FlateDecode bomb of text operators."""
    unit = b"BT /F1 12 Tf 72 720 Td (Projektet) Tj ET\n"
    compressor = zlib.compressobj(9)
    chunk = unit * (MB // len(unit))
    parts = [compressor.compress(chunk) for _ in range(max(1, inflated // len(chunk)))]
    parts.append(compressor.flush())
    page = _PAGE
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", _FONT,
                 _stream(b"".join(parts), True), page])


def pdf_many_pages(pages: int = 5000, operators_per_page: int = 10_000) -> bytes:
    """``pages`` pages sharing one compressed content stream full of glyph operators."""
    content = b"BT /F1 8 Tf 10 10 Td " + b"(Sverige) Tj 0 1 Td " * operators_per_page + b"ET"
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    page = _PAGE
    tree = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", tree, _FONT, _stream(zlib.compress(content, 9), True)]
                + [page] * pages)


SENTENCE = "Projektet ska stärka små företag i Örebro län genom rådgivning och utbildning."


def digit_run(digits: int = 8000) -> str:
    return f"{SENTENCE} " + "1" * digits


def hyphen_lines(chars: int = 100_000) -> str:
    line = "genomför-\n"
    return SENTENCE + "\n" + line * (chars // len(line))


def huge_text(chars: int = 9 * MB) -> str:
    return (SENTENCE + "\n") * (chars // (len(SENTENCE) + 1))


def text_then_junk(text_bytes: int = 4096, junk_bytes: int = 64 * 1024, seed: int = 12) -> bytes:
    head = (SENTENCE + "\n").encode() * (text_bytes // (len(SENTENCE.encode()) + 1))
    return head + random.Random(seed).randbytes(junk_bytes)


def utf16_with_bom() -> bytes:
    return ((SENTENCE + "\n") * 3).encode("utf-16")


def big_file(path: os.PathLike, size: int) -> None:
    """A sparse file of ``size`` bytes: costs nothing on disk."""
    with open(path, "wb") as handle:
        handle.truncate(size)
