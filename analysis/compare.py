"""What changed between two analyses of one case (an application and its komplettering)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from analysis.result import AnalysisResult


class AreaChange(BaseModel):
    framework: str
    before: list[str]
    after: list[str]
    added: list[str]
    removed: list[str]
    top_before: str | None
    top_after: str | None


class ValueChange(BaseModel):
    id: str
    before: Any
    after: Any


class Comparison(BaseModel):
    before: int
    after: int
    areas: list[AreaChange]
    perspectives: list[ValueChange]
    facts: list[ValueChange]
    findings_added: list[str]
    findings_removed: list[str]

    @property
    def unchanged(self) -> bool:
        return not (any(a.added or a.removed or a.top_before != a.top_after for a in self.areas) or self.perspectives
                    or self.facts or self.findings_added or self.findings_removed)


def _matched(result: AnalysisResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for alignment in sorted(result.alignments, key=lambda a: a.rank):
        out.setdefault(alignment.framework, [])
        if alignment.match:
            out[alignment.framework].append(alignment.item)
    return out


def _facts(result: AnalysisResult) -> dict[str, Any]:
    facts = result.facts
    return {"amount_sek": facts.amount_sek, "share_percent": facts.share_percent,
            "start": facts.period.start.isoformat() if facts.period.start else None,
            "end": facts.period.end.isoformat() if facts.period.end else None}


def compare(before: AnalysisResult, after: AnalysisResult, before_id: int = 0, after_id: int = 0) -> Comparison:
    """Matched areas per framework, perspective statuses, facts and finding rules, old against new."""
    old, new = _matched(before), _matched(after)
    areas = [AreaChange(framework=f, before=old.get(f, []), after=new.get(f, []),
                        added=[i for i in new.get(f, []) if i not in old.get(f, [])],
                        removed=[i for i in old.get(f, []) if i not in new.get(f, [])],
                        top_before=next(iter(old.get(f, [])), None), top_after=next(iter(new.get(f, [])), None))
             for f in dict.fromkeys([*old, *new])]
    old_status = {p.id: p.status for p in before.perspectives}
    new_status = {p.id: p.status for p in after.perspectives}
    perspectives = [ValueChange(id=p, before=old_status.get(p), after=new_status.get(p))
                    for p in dict.fromkeys([*old_status, *new_status]) if old_status.get(p) != new_status.get(p)]
    old_facts, new_facts = _facts(before), _facts(after)
    facts = [ValueChange(id=k, before=old_facts[k], after=new_facts[k])
             for k in old_facts if old_facts[k] != new_facts[k]]
    old_rules, new_rules = {f.rule for f in before.findings}, {f.rule for f in after.findings}
    return Comparison(before=before_id, after=after_id, areas=areas, perspectives=perspectives, facts=facts,
                      findings_added=sorted(new_rules - old_rules), findings_removed=sorted(old_rules - new_rules))
