"""Bulk results (``policyalign score … --format jsonl``) into cases: a scored backlog becomes a worklist."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from analysis.result import AnalysisResult
from analysis.store.repository import Repository


@dataclass
class ImportSummary:
    cases_created: int = 0
    analyses_added: int = 0
    errors_skipped: int = 0
    unreadable_lines: int = 0


def import_results(repo: Repository, path: Path, *, column: str = "id", created_by: str = "import",
                   as_dnr: bool = True) -> ImportSummary:
    """Each ok row becomes an analysis of the case keyed by ``row[column]`` (its diarienummer when
    ``as_dnr``): an existing case gets one more analysis, a new key a new case. Error rows and lines that
    are not results are counted, not imported; nothing is half-imported (one transaction per row)."""
    summary = ImportSummary()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                key = str(row[column]) if row.get(column) is not None else None
                result = AnalysisResult.model_validate(row["result"]) if row.get("status") == "ok" else None
            except (ValueError, KeyError, TypeError, ValidationError):
                summary.unreadable_lines += 1
                continue
            if result is None or key is None:
                summary.errors_skipped += 1
                continue
            case = repo.case_by_dnr(key) if as_dnr else None
            if case is None:
                title = Path(row.get("source") or key).stem if row.get("source") else key
                case = repo.create_case(title=title[:500], dnr=key if as_dnr else None, created_by=created_by,
                                        region=result.versions.region)
                summary.cases_created += 1
            repo.add_analysis(case.id, result, text=result.document.text, created_by=created_by,
                              input_name=row.get("source"))
            summary.analyses_added += 1
    return summary
