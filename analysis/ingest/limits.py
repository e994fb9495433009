"""The limits ingest enforces on untrusted input, read once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.settings import Settings, get_settings


@dataclass(frozen=True)
class IngestLimits:
    """Plain values (picklable) so a parsing process gets them without reading the environment."""

    max_file_bytes: int
    max_text_chars: int
    max_pdf_pages: int
    max_inflated_bytes: int
    max_compression_ratio: int
    parse_memory_mb: int
    parse_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> IngestLimits:
        s = settings or get_settings()
        return cls(s.max_upload_bytes, s.max_text_chars, s.max_pdf_pages, s.max_inflated_bytes,
                   s.max_compression_ratio, s.parse_memory_mb, s.parse_seconds)

    def check_text_length(self, length: int) -> None:
        """The length limit on the raw text, before any normalising work is spent on it."""
        if length > self.max_text_chars:
            from analysis.errors import DocumentTooLargeError

            raise DocumentTooLargeError(f"the text has {length} characters; the limit is {self.max_text_chars}")
