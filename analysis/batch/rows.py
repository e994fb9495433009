"""Rows of a bulk run: the full result per document for JSONL, flat columns for CSV and Parquet."""

from __future__ import annotations

from typing import Any

from analysis.errors import PolicyAlignError

KIND_PREFIX = {"rus": "rus", "national": "national", "orientation": "orientation"}
PERSPECTIVES = ("miljo", "barn", "jamstalldhet", "likabehandling", "tillganglighet")
FLAT_COLUMNS = (
    ["id", "source", "status", "error_type", "error_message", "kind", "language", "region"]
    + [f"{p}_{c}" for p in KIND_PREFIX.values() for c in ("framework", "top", "top_name", "top_score", "matches")]
    + list(PERSPECTIVES)
    + ["amount_sek", "amount_role", "share_percent", "period_start", "period_end", "findings", "finding_count",
       "software", "corpus", "embedder"]
)


def ok_row(record_id: str, source: str, result: dict, framework_kinds: dict[str, str]) -> dict[str, Any]:
    return {"id": record_id, "source": source, "status": "ok", "error": None, "framework_kinds": framework_kinds,
            "result": result}


def error_row(record_id: str, source: str, error_type: str, message: str) -> dict[str, Any]:
    return {"id": record_id, "source": source, "status": "error", "error": {"type": error_type, "message": message},
            "result": None}


def row_for_exception(record_id: str, source: str, error: Exception) -> dict[str, Any]:
    if isinstance(error, PolicyAlignError):
        return error_row(record_id, source, error.code, error.message)
    return error_row(record_id, source, "internal-error", f"{type(error).__name__}: {error}")


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """One flat record per document: what an officer filters on in a spreadsheet."""
    flat: dict[str, Any] = dict.fromkeys(FLAT_COLUMNS)
    flat.update(id=row["id"], source=row["source"], status=row["status"])
    if row["status"] != "ok":
        flat.update(error_type=row["error"]["type"], error_message=row["error"]["message"])
        return flat
    result = row["result"]
    kinds = row.get("framework_kinds", {})
    document = result["document"]
    flat.update(kind=document["kind"], language=document["language"], region=result["versions"].get("region"))
    for alignment in result["alignments"]:
        prefix = KIND_PREFIX.get(kinds.get(alignment["framework"], ""))
        if prefix is None:
            continue
        if alignment["rank"] == 1:
            flat.update({f"{prefix}_framework": alignment["framework"], f"{prefix}_top": alignment["item"],
                         f"{prefix}_top_name": alignment["name"], f"{prefix}_top_score": alignment["score"]})
        if alignment["match"]:
            previous = flat[f"{prefix}_matches"]
            flat[f"{prefix}_matches"] = f"{previous};{alignment['item']}" if previous else alignment["item"]
    for perspective in result["perspectives"]:
        if perspective["id"] in PERSPECTIVES:
            flat[perspective["id"]] = perspective["status"]
    facts = result["facts"]
    flat.update(amount_sek=facts["amount_sek"], amount_role=facts.get("amount_role"), share_percent=facts["share_percent"],
                period_start=facts["period"]["start"], period_end=facts["period"]["end"])
    flat["findings"] = ";".join(f["rule"] for f in result["findings"]) or None
    flat["finding_count"] = len(result["findings"])
    versions = result["versions"]
    flat.update(software=versions["software"], corpus=versions["corpus"], embedder=versions["models"].get("embedder"))
    return flat
