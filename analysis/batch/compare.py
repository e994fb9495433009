"""Two runs of the same backlog side by side (e.g. before and after a corpus change).

A document counts as changed when its analysis status, top item in any framework, a perspective status or
its set of rule findings differs; documents in only one run are listed too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from analysis.batch.attention import Names
from analysis.corpus.schema import FRAMEWORK_KINDS
from analysis.labels import sv

TOP_COLUMNS = tuple(f"{kind}_top" for kind in FRAMEWORK_KINDS)


@dataclass
class Change:
    what: str
    old: str
    new: str


@dataclass
class ChangedDocument:
    id: str
    title: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class Comparison:
    changed: list[ChangedDocument]
    unchanged: int
    item_counts: list[dict[str, Any]]  # framework kind, item name, old count, new count, difference


def _findings(row: dict[str, Any]) -> frozenset[str]:
    return frozenset(x for x in str(row.get("findings") or "").split(";") if x)


def _rule_list(rules: frozenset[str], names: Names) -> str:
    return ", ".join(sorted(names.rule(r) for r in rules)) or sv("compare_change", "none")


def _item(row: dict[str, Any], column: str, names: Names) -> str:
    item = row.get(column)
    return names.items.get(item, row.get(f"{column}_name") or item) if item else sv("compare_change", "none")


def _status(value: Any) -> str:
    return sv("perspective_status", value) if value else sv("compare_change", "none")


def document_changes(old: dict[str, Any], new: dict[str, Any], names: Names) -> list[Change]:
    """What differs between two runs' rows of one document, in Swedish."""
    changes = []
    if old.get("status") != new.get("status"):
        changes.append(Change(sv("compare_change", "status"), sv("compare_change", str(old.get("status"))),
                              sv("compare_change", str(new.get("status")))))
    for column, prefix in zip(TOP_COLUMNS, FRAMEWORK_KINDS, strict=True):
        if old.get(column) != new.get(column):
            changes.append(Change(f"Främsta matchning: {sv('framework_kind', prefix)}", _item(old, column, names),
                                  _item(new, column, names)))
    for perspective, name in names.perspectives.items():
        if old.get(perspective) != new.get(perspective):
            changes.append(Change(name, _status(old.get(perspective)), _status(new.get(perspective))))
    if _findings(old) != _findings(new):
        changes.append(Change(sv("compare_change", "findings"), _rule_list(_findings(old), names),
                              _rule_list(_findings(new), names)))
    return changes


def _item_counts(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]], names: Names) -> list[dict[str, Any]]:
    result = []
    for column, prefix in zip(TOP_COLUMNS, FRAMEWORK_KINDS, strict=True):
        before = Counter(r[column] for r in old_rows if r.get(column))
        after = Counter(r[column] for r in new_rows if r.get(column))
        changed_most_first = sorted(set(before) | set(after),
                                    key=lambda i: (-abs(after[i] - before[i]), names.items.get(i, i)))
        for item in changed_most_first:
            label = sv("framework_kind", prefix)
            result.append({"framework": label[:1].upper() + label[1:], "item": names.items.get(item, item),
                           "old": before[item], "new": after[item], "diff": after[item] - before[item]})
    return result


def compare(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]], names: Names) -> Comparison:
    old_by_id = {r["id"]: r for r in old_rows}
    new_by_id = {r["id"]: r for r in new_rows}
    changed, unchanged = [], 0
    for doc_id in list(old_by_id) + [i for i in new_by_id if i not in old_by_id]:
        old, new = old_by_id.get(doc_id), new_by_id.get(doc_id)
        row = new or old or {}  # never empty: doc_id comes from one of them
        title = str(row.get("title") or row.get("source") or doc_id)
        if old is None or new is None:
            label = sv("compare_change", "added" if old is None else "removed")
            changed.append(ChangedDocument(doc_id, title, [Change(label, "", "")]))
        elif changes := document_changes(old, new, names):
            changed.append(ChangedDocument(doc_id, title, changes))
        else:
            unchanged += 1
    return Comparison(changed, unchanged, _item_counts(old_rows, new_rows, names))


def render(comparison: Comparison, old_label: str, new_label: str, title: str = "Jämförelse av två körningar") -> str:
    from analysis.batch.portfolio import _environment

    return _environment().get_template("compare.html.j2").render(
        title=title, c=comparison, old_label=old_label, new_label=new_label)
