"""Rows of a bulk run: the full result per document for JSONL, flat columns for CSV and Parquet.

The flat row also carries what the portfolio needs that no single analysis knows: the document's title
(from its text) and sanity flags judged against the whole backlog (an amount far from the median).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from analysis.corpus.schema import FRAMEWORK_KINDS
from analysis.errors import PolicyAlignError

if TYPE_CHECKING:
    from analysis.corpus.schema import PolicyCorpus
    from analysis.document import Document
    from analysis.settings import Settings

SanityFlag = Literal["amount-outlier", "share-above-limit", "period-outside-programme", "unsure"]
SANITY_FLAGS: tuple[SanityFlag, ...] = ("amount-outlier", "share-above-limit", "period-outside-programme", "unsure")
# Framework columns are named after the framework kind ("rus_top"); one column per corpus perspective.
FLOAT_COLUMNS = ("amount_sek", "share_percent", *(f"{kind}_top_score" for kind in FRAMEWORK_KINDS))
INT_COLUMNS = ("finding_count",)
_LEADING_COLUMNS = ["id", "source", "title", "status", "error_type", "error_message", "kind", "language", "region",
                    *(f"{kind}_{c}" for kind in FRAMEWORK_KINDS
                      for c in ("framework", "top", "top_name", "top_score", "matches"))]
_TRAILING_COLUMNS = ["amount_sek", "amount_role", "share_percent", "period_start", "period_end", "findings",
                     "finding_count", "flags", "software", "corpus", "embedder"]


def flat_columns(perspectives: Sequence[str]) -> list[str]:
    """The flat row's columns for a corpus with these perspective ids (corpus order)."""
    return [*_LEADING_COLUMNS, *perspectives, *_TRAILING_COLUMNS]


def perspective_ids(corpus: PolicyCorpus) -> tuple[str, ...]:
    return tuple(p.id for p in corpus.perspectives.perspectives)
TITLE_MAX_CHARS = 120
TITLE_SEARCH_LINES = 30
_SPACES = re.compile(r"\s{2,}")
_NAME_FIELD = re.compile(r"^\s*(projektets namn|projektnamn|projektets titel|namn på projektet)\s*:\s*(?P<name>\S.*)$",
                         re.IGNORECASE | re.MULTILINE)


def document_title(document: Document) -> str | None:
    """What an analyst calls the document: a form's project name, else its first line (its title, if any:
    the title section has no heading line of its own)."""
    head = "\n".join(document.text.splitlines()[:TITLE_SEARCH_LINES])
    field = _NAME_FIELD.search(head)
    line = (field and field.group("name").strip()) or next(
        (line.strip() for line in document.text.splitlines() if line.strip()), None)
    if not line:
        return None
    line = _SPACES.sub(" – ", line).strip(" –")
    if len(line) <= TITLE_MAX_CHARS:
        return line
    return line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + " …"


def ok_row(record_id: str, source: str, result: dict, framework_kinds: Mapping[str, str],
           title: str | None = None) -> dict[str, Any]:
    return {"id": record_id, "source": source, "status": "ok", "error": None, "framework_kinds": framework_kinds,
            "title": title, "result": result}


def error_row(record_id: str, source: str, error_type: str, message: str) -> dict[str, Any]:
    return {"id": record_id, "source": source, "status": "error", "error": {"type": error_type, "message": message},
            "result": None}


def row_for_exception(record_id: str, source: str, error: Exception) -> dict[str, Any]:
    if isinstance(error, PolicyAlignError):
        return error_row(record_id, source, error.code, error.message)
    return error_row(record_id, source, "internal-error", f"{type(error).__name__}: {error}")


def _alignment_columns(flat: dict[str, Any], alignments: list[dict], kinds: dict[str, str]) -> None:
    for alignment in alignments:
        prefix = kinds.get(alignment["framework"])
        if prefix not in FRAMEWORK_KINDS:
            continue
        if alignment["rank"] == 1:
            flat.update({f"{prefix}_framework": alignment["framework"], f"{prefix}_top": alignment["item"],
                         f"{prefix}_top_name": alignment["name"], f"{prefix}_top_score": alignment["score"]})
        if alignment["match"]:
            previous = flat[f"{prefix}_matches"]
            flat[f"{prefix}_matches"] = f"{previous};{alignment['item']}" if previous else alignment["item"]


def flatten(row: dict[str, Any], perspectives: Sequence[str]) -> dict[str, Any]:
    """One flat record per document: what an officer filters on in a spreadsheet."""
    flat: dict[str, Any] = dict.fromkeys(flat_columns(perspectives))
    flat.update(id=row["id"], source=row["source"], status=row["status"], title=row.get("title"))
    if row["status"] != "ok":
        flat.update(error_type=row["error"]["type"], error_message=row["error"]["message"])
        return flat
    result = row["result"]
    document = result["document"]
    flat.update(kind=document["kind"], language=document["language"], region=result["versions"].get("region"))
    _alignment_columns(flat, result["alignments"], row.get("framework_kinds", {}))
    for perspective in result["perspectives"]:
        if perspective["id"] in perspectives:
            flat[perspective["id"]] = perspective["status"]
    facts = result["facts"]
    flat.update(amount_sek=facts["amount_sek"], amount_role=facts.get("amount_role"),
                share_percent=facts["share_percent"], period_start=facts["period"]["start"],
                period_end=facts["period"]["end"])
    flat["findings"] = ";".join(f["rule"] for f in result["findings"]) or None
    flat["finding_count"] = len(result["findings"])
    versions = result["versions"]
    flat.update(software=versions["software"], corpus=versions["corpus"], embedder=versions["models"].get("embedder"))
    return flat


@dataclass(frozen=True)
class SanityLimits:
    """The yardsticks of the sanity flags; the share limit and programme periods are corpus data."""

    share_limit: float | None
    programmes: dict[str, tuple[date, date]]
    unsure_below: float
    amount_factor: float
    min_amounts: int

    @classmethod
    def from_corpus(cls, corpus: PolicyCorpus, settings: Settings) -> SanityLimits:
        share = next((r.limit_percent for r in corpus.rules.rules if r.check == "share_above"), None)
        frameworks = {f.id: f for f in corpus.frameworks}
        programmes = {}
        for region in corpus.manifest.regions:
            periods = [period for f in region.frameworks
                       if frameworks[f].kind == "rus" and (period := frameworks[f].period) is not None]
            if periods:
                programmes[region.id] = (periods[0].start, periods[0].end)
        return cls(share, programmes, settings.portfolio_unsure_below, settings.portfolio_amount_factor,
                   settings.portfolio_min_amounts)

    @classmethod
    def load(cls, settings: Settings | None = None) -> SanityLimits:
        from analysis.corpus import load_corpus
        from analysis.settings import Settings

        settings = settings or Settings()
        return cls.from_corpus(load_corpus(settings.corpus_dir), settings)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _outside_programme(flat: dict[str, Any], limits: SanityLimits) -> bool:
    window = limits.programmes.get(flat.get("region") or "")
    start, end = _as_date(flat.get("period_start")), _as_date(flat.get("period_end"))
    if window is None:
        return False
    return bool((start and not window[0] <= start <= window[1]) or (end and not window[0] <= end <= window[1]))


def _row_flags(flat: dict[str, Any], limits: SanityLimits, median: float | None) -> list[SanityFlag]:
    flags: list[SanityFlag] = []
    amount = flat.get("amount_sek")
    if median and amount and not median / limits.amount_factor <= float(amount) <= median * limits.amount_factor:
        flags.append("amount-outlier")
    share = flat.get("share_percent")
    if limits.share_limit is not None and share is not None and float(share) > limits.share_limit:
        flags.append("share-above-limit")
    if _outside_programme(flat, limits):
        flags.append("period-outside-programme")
    score = flat.get("rus_top_score")
    if score is not None and float(score) < limits.unsure_below:
        flags.append("unsure")
    return flags


def amount_median(flat_rows: list[dict[str, Any]], limits: SanityLimits) -> float | None:
    """The backlog's median amount, or None when too few documents state one to judge by."""
    amounts = [float(r["amount_sek"]) for r in flat_rows if r.get("status") == "ok" and r.get("amount_sek")]
    return statistics.median(amounts) if len(amounts) >= limits.min_amounts else None


def add_sanity_flags(flat_rows: list[dict[str, Any]], limits: SanityLimits) -> list[dict[str, Any]]:
    """Set each ok row's ``flags`` column (ids joined by ';'), judged against the whole backlog."""
    median = amount_median(flat_rows, limits)
    for flat in flat_rows:
        if flat.get("status") == "ok":
            flat["flags"] = ";".join(_row_flags(flat, limits, median)) or None
    return flat_rows
