"""Learning from reviews: officer-confirmed labels as a labelled set, and how often officers override.

Export format: one JSON line per reviewed analysis in the labelled-set schema of
tests/data/devset/labels.jsonl (id, kind, rus [primary first], national, orientation, perspectives,
facts {amount_sek, share_percent, start, end}, share_above_limit, budget_missing) plus ``text`` (the
document text), ``group`` (the case, for grouped cross-validation) and ``source`` (where it came from).

Only what an officer confirmed is a label. A field the officer accepted takes the analysis's value; one
replaced takes the officer's value; a field not decided, or rejected without a replacement, is left out of
the record (not written as null: null already means "none fits" for an orientation and "the text states
none" for a fact) and its name is listed in ``unconfirmed``. budget_missing is never reviewed, so it is
always in ``unconfirmed``; share_above_limit follows from a confirmed share and the corpus rule's limit.
An analysis whose text was not stored or has been pruned cannot be a training text and is skipped.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from analysis.result import AnalysisResult
from analysis.review import FACT_TARGETS, FRAMEWORK_TARGETS, PERSPECTIVE_PREFIX, reviewed
from analysis.store.models import Analysis

DEFAULT_SHARE_LIMIT = 50.0


def share_limit() -> float:
    """The share-above-limit rule's limit from the corpus (policy is data)."""
    from analysis.corpus import cached_corpus
    from analysis.settings import get_settings

    rules = cached_corpus(str(get_settings().corpus_dir)).rules.rules
    rule = next((r for r in rules if r.id == "share-above-limit"), None)
    return float(getattr(rule, "limit_percent", None) or DEFAULT_SHARE_LIMIT)


def feedback_record(analysis: Analysis, limit: float = DEFAULT_SHARE_LIMIT) -> dict[str, Any] | None:
    """The labelled-set line of one reviewed analysis, or None when it has no text to learn from."""
    if not analysis.text:
        return None
    result = AnalysisResult.model_validate(analysis.result)
    view = reviewed(result, analysis.review)
    # One group per case: an application and its komplettering are near-duplicates, so cross-validation
    # must keep them on the same side.
    record: dict[str, Any] = {"id": f"analysis-{analysis.id}", "kind": result.document.kind,
                              "group": f"case-{analysis.case_id}"}
    unconfirmed: list[str] = []
    for kind in FRAMEWORK_TARGETS:
        if kind not in view:
            continue
        item = view[kind]
        if item.confirmed:
            record[kind] = ([item.value] if item.value else []) if kind == "rus" else item.value
        else:
            unconfirmed.append(kind)
    perspectives = {}
    for target, item in view.items():
        if target.startswith(PERSPECTIVE_PREFIX):
            if item.confirmed:
                perspectives[target.removeprefix(PERSPECTIVE_PREFIX)] = item.value
            else:
                unconfirmed.append(target)
    record["perspectives"] = perspectives
    record["facts"] = _facts(view, unconfirmed)
    if "share_percent" in record["facts"]:
        share = record["facts"]["share_percent"]
        record["share_above_limit"] = share is not None and share > limit
    else:
        unconfirmed.append("share_above_limit")
    unconfirmed.append("budget_missing")
    record["unconfirmed"] = unconfirmed
    record["text"] = analysis.text
    record["source"] = {"analysis_id": analysis.id, "case_id": analysis.case_id, "corpus": analysis.corpus,
                        "reviewed_by": analysis.reviewed_by}
    return record


def _facts(view, unconfirmed: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for target in FACT_TARGETS:
        item = view[target]
        if not item.confirmed:
            unconfirmed.extend(["start", "end"] if target == "period" else [target])
        elif target == "period":
            facts["start"], facts["end"] = (item.value or {}).get("start"), (item.value or {}).get("end")
        else:
            facts[target] = item.value
    return facts


def export(analyses: Iterable[Analysis]) -> Iterator[dict[str, Any]]:
    limit = share_limit()
    for analysis in analyses:
        record = feedback_record(analysis, limit)
        if record is not None:
            yield record


def _group(target: str) -> str:
    return target.removeprefix(PERSPECTIVE_PREFIX)


def override_stats(analyses: Iterable[Analysis]) -> list[dict[str, Any]]:
    """Per corpus version and target: how many decisions, how many overrides (reject, or replace with a
    different value), and the rate. A high rate is a weak spot of the corpus or a model."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for analysis in analyses:
        result = AnalysisResult.model_validate(analysis.result)
        for target, item in reviewed(result, analysis.review).items():
            if item.decision is None:
                continue
            cell = counts[(analysis.corpus, target)]
            cell[0] += 1
            cell[1] += item.decision == "reject" or (item.decision == "replace" and item.value != item.suggested)
    return [{"corpus": corpus, "target": target, "decisions": n, "overrides": o, "override_rate": round(o / n, 3)}
            for (corpus, target), (n, o) in sorted(counts.items())]


def format_stats(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "inga granskade analyser"
    lines = [f"{'korpus':<28} {'mål':<28} {'beslut':>7} {'ändrade':>8} {'andel':>6}"]
    lines += [f"{r['corpus']:<28} {r['target']:<28} {r['decisions']:>7} {r['overrides']:>8} {r['override_rate']:>6.0%}"
              for r in rows]
    return "\n".join(lines)


def write_labelled_dir(records: Iterable[dict[str, Any]], directory: Path) -> int:
    """The same records as a devset-style folder (labels.jsonl with ``file`` + one .txt per text), which
    ``evaluate DIR`` and ``models calibrate DIR`` read today."""
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    with (directory / "labels.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            name = f"{record['id']}.txt"
            (directory / name).write_text(record["text"], encoding="utf-8")
            line = {key: value for key, value in record.items() if key != "text"} | {"file": name}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count
