"""What changed between two analyses of one case (an application and its komplettering)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from analysis.result import AnalysisResult


class AreaChange(BaseModel):
    """The matched items of one framework in the older and the newer analysis."""

    framework: str = Field(description="Framework id (see /v1/policies)")
    before: list[str] = Field(description="Matched item ids in the older analysis, best first")
    after: list[str] = Field(description="Matched item ids in the newer analysis, best first")
    added: list[str] = Field(description="Items matched now but not before")
    removed: list[str] = Field(description="Items matched before but not now")
    top_before: str | None = Field(description="The best match before, or null if none matched")
    top_after: str | None = Field(description="The best match now, or null if none matches")


class ValueChange(BaseModel):
    """A perspective status or a fact that differs between the two analyses."""

    id: str = Field(description="Perspective id, or fact name (amount_sek, share_percent, start, end)")
    before: Any = Field(description="The value in the older analysis (null when absent)")
    after: Any = Field(description="The value in the newer analysis (null when absent)")


class Comparison(BaseModel):
    """What changed between two analyses of one case, e.g. an application and its komplettering."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "before": 97, "after": 118,
        "areas": [{"framework": "orebro-rus-2022-2030", "before": ["kompetensforsorjning"],
                   "after": ["kompetensforsorjning", "innovation"], "added": ["innovation"], "removed": [],
                   "top_before": "kompetensforsorjning", "top_after": "kompetensforsorjning"}],
        "perspectives": [{"id": "jamstalldhet", "before": "absent", "after": "present"}],
        "facts": [{"id": "amount_sek", "before": 1500000, "after": 1200000}],
        "findings_added": [], "findings_removed": ["budget-missing"]}]})

    before: int = Field(description="The older analysis's id (?from=)")
    after: int = Field(description="The newer analysis's id (?to=)")
    areas: list[AreaChange] = Field(description="Every framework of either analysis, changed or not")
    perspectives: list[ValueChange] = Field(description="Perspectives whose status changed")
    facts: list[ValueChange] = Field(description="Facts whose value changed")
    findings_added: list[str] = Field(description="Finding rule ids present now but not before")
    findings_removed: list[str] = Field(description="Finding rule ids present before but not now")

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
