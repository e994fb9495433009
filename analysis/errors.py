"""Coded errors shared by the library, the CLI (exit code 2) and the API (problem types).

Like spaCy's coded errors: each class has a stable ``code`` that tests, logs,
the HTTP ``type`` URI and bulk-scoring error rows all use, so a message can be
reworded without breaking anyone who matches on the code.
"""

from __future__ import annotations


class PolicyAlignError(Exception):
    """Base class: every error the product raises on purpose."""

    code = "policyalign-error"
    http_status = 422

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class UnreadableDocumentError(PolicyAlignError):
    """The bytes cannot be turned into text: corrupt, encrypted, wrong format, binary junk."""

    code = "unreadable-document"


class EmptyDocumentError(UnreadableDocumentError):
    """The document holds no text worth analysing."""

    code = "empty-document"


class UnsupportedMediaTypeError(PolicyAlignError):
    """A file type the product does not read."""

    code = "unsupported-media-type"
    http_status = 415


class LanguageNotSupportedError(PolicyAlignError):
    """The text is not Swedish; the vocabulary and models are Swedish only."""

    code = "language-not-supported"


class DocumentTooLargeError(PolicyAlignError):
    """The text exceeds the configured length limit."""

    code = "document-too-large"
    http_status = 413


class CorpusError(PolicyAlignError):
    """The policy corpus is invalid; ``problems`` lists every problem found."""

    code = "invalid-corpus"
    http_status = 500

    def __init__(self, problems: list[str], *, source: str | None = None) -> None:
        self.problems = problems
        super().__init__("; ".join(problems) if problems else "invalid corpus", source=source)

    def __str__(self) -> str:
        header = f"invalid policy corpus ({len(self.problems)} problem(s))"
        return "\n".join([header, *(f"  - {problem}" for problem in self.problems)])


class UnknownRegionError(PolicyAlignError):
    """The region asked for is not in the corpus."""

    code = "unknown-region"


class UnknownItemError(PolicyAlignError):
    """A framework or policy item id that the corpus does not have."""

    code = "unknown-item"
    http_status = 404


class ModelUnavailableError(PolicyAlignError):
    """A model artefact is missing; models never download at run time."""

    code = "model-unavailable"
    http_status = 503


class ResourceLimitError(PolicyAlignError):
    """Parsing or analysing the input needed more memory or time than the limits allow.

    Raised when an isolated parsing process hits its address-space or CPU limit or its
    wall-clock deadline, or when an analysis passes the request deadline.
    """

    code = "resource-limit"
    http_status = 422


class NotReadyError(PolicyAlignError):
    """The worker should get no traffic now (e.g. it holds more memory than its ceiling)."""

    code = "not-ready"
    http_status = 503


class OutputPathError(PolicyAlignError):
    """The output path of a bulk run cannot be written (a directory, no permission, missing parent)."""

    code = "invalid-output"
    http_status = 400
