"""The per-worker scorer: loads the analyzer once, turns a batch of records into rows.

Shared by the local process pool and Ray actors. Sentence embedding runs
once per batch across all its documents; a document that fails at any
step becomes an error row and never stops the batch.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from analysis.batch.inputs import InputRecord
from analysis.batch.rows import document_title, error_row, ok_row, row_for_exception
from analysis.errors import DocumentTooLargeError


class Scorer:
    def __init__(self, settings: dict[str, Any] | None = None, region: str | None = None) -> None:
        from analysis.pipeline import Analyzer
        from analysis.settings import Settings

        self.analyzer = Analyzer.create(Settings(**(settings or {})))
        self.region = region
        self.kinds = {f.id: f.kind for f in self.analyzer.corpus.frameworks}
        self.analyzer.warm_up()
        gc.collect()
        gc.freeze()  # long-lived model objects: keep full collections short

    def _prepare(self, record: InputRecord):
        analyzer = self.analyzer
        if record.path is not None:
            size = os.path.getsize(record.path) if os.path.isfile(record.path) else 0
            if size > analyzer.settings.max_upload_bytes:
                raise DocumentTooLargeError(
                    f"the file has {size} bytes; the limit is {analyzer.settings.max_upload_bytes}",
                    source=record.source,
                )
            source = analyzer.read_path(Path(record.path))
        else:
            source = analyzer.read_text(record.text or "", record.source)
        return analyzer.prepare(source, record.id)

    def score(self, records: list[InputRecord]) -> list[dict[str, Any]]:
        rows: dict[int, dict[str, Any]] = {}
        documents = {}
        for index, record in enumerate(records):
            if record.problem:
                rows[index] = error_row(record.id, record.source, "invalid-input", record.problem)
                continue
            try:
                documents[index] = self._prepare(record)
            except Exception as error:  # every failure is a row; the batch goes on
                rows[index] = row_for_exception(record.id, record.source, error)
        if documents:
            self.analyzer.embed(list(documents.values()))
        for index, document in documents.items():
            record = records[index]
            try:
                result = self.analyzer.analyze_document(document, self.region)
                rows[index] = ok_row(record.id, record.source, result.model_dump(mode="json"), self.kinds,
                                     document_title(document))
            except Exception as error:
                rows[index] = row_for_exception(record.id, record.source, error)
        return [rows[index] for index in range(len(records))]
