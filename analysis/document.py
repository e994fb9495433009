"""The analyzed document: normalised text, sections and sentences, shared by all analyzers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.corpus.schema import DocumentKind
from analysis.nlp import Sentence
from analysis.sections import Section


@dataclass
class Document:
    """Everything the analyzers read. Built once by the pipeline; analyzers never change what it says.

    ``derived`` keeps what is computed from it once and read by several analyzers (the vocabulary
    hits of every sentence, analysis/nlp/terms.py), keyed by whoever computed it.
    """

    id: str
    source: str | None
    text: str
    language: str
    kind: DocumentKind
    sections: list[Section]
    sentences: list[Sentence]
    vectors: np.ndarray | None = field(default=None, repr=False)  # one row per sentence, set by the pipeline
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def section_of(self, sentence: Sentence) -> Section:
        return self.sections[sentence.section]

    def sections_with(self, section_id: str) -> list[Section]:
        return [section for section in self.sections if section.id == section_id]
