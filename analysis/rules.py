"""Findings: the corpus rules (förordning 2003:596, the region's conditions) applied to a document.

Each rule's ``check`` (its model class) selects one evaluator below; the parameters, messages and
citations are corpus data, so a region can change a limit or a message
without touching code.
"""

from __future__ import annotations

import re

from analysis.corpus.schema import (
    AmountPatternAboveRule,
    FactField,
    FactKind,
    ContentMissingRule,
    FactsMissingRule,
    PatternPresentRule,
    PeriodOrderRule,
    PeriodWithinRule,
    RULE_MESSAGE_FIELDS,
    Rule,
    RuleSet,
    ShareAboveRule,
)
from analysis.document import Document
from analysis.facts.numbers import MoneyFinder
from analysis.result import Evidence, Facts, Finding, fact_source, rule_source

_MONEY = MoneyFinder()


def _fact_present(facts: Facts, name: FactField) -> bool:
    if name == "period":
        return facts.period.start is not None or facts.period.end is not None
    return getattr(facts, name) is not None


def _fact_evidence(facts: Facts, fact: FactKind) -> list[Evidence]:
    return [e for e in facts.evidence if e.source == fact_source(fact)]


def _share_above(rule: ShareAboveRule, document: Document, facts: Facts) -> list[Evidence] | None:
    if facts.share_percent is not None and facts.share_percent > rule.limit_percent:
        return _fact_evidence(facts, "share")
    return None


def _facts_missing(rule: FactsMissingRule, document: Document, facts: Facts) -> list[Evidence] | None:
    return None if any(_fact_present(facts, name) for name in rule.facts) else []


def _content_missing(rule: ContentMissingRule, document: Document, facts: Facts) -> list[Evidence] | None:
    if any(document.sections_with(section) for section in rule.sections):
        return None
    if any(_fact_present(facts, name) for name in rule.facts):
        return None
    patterns = [re.compile(p, re.IGNORECASE) for p in rule.patterns]
    if any(p.search(document.text) for p in patterns):
        return None
    return []


def _pattern_present(rule: PatternPresentRule, document: Document, facts: Facts) -> list[Evidence] | None:
    patterns = [re.compile(p, re.IGNORECASE) for p in rule.patterns]
    negations = [re.compile(p, re.IGNORECASE) for p in rule.negations]
    evidence = [
        Evidence(text=s.text, start=s.start, end=s.end, score=1.0, source=rule_source(rule.id))
        for s in document.sentences
        if any(p.search(s.text) for p in patterns) and not any(n.search(s.text) for n in negations)
    ]
    return evidence or None


def _period_within(rule: PeriodWithinRule, document: Document, facts: Facts) -> list[Evidence] | None:
    if rule.when_patterns and not any(re.search(p, document.text, re.IGNORECASE) for p in rule.when_patterns):
        return None
    start, end = facts.period.start, facts.period.end
    too_early = rule.earliest_start is not None and start is not None and start < rule.earliest_start
    too_late = rule.latest_end is not None and end is not None and end > rule.latest_end
    return _fact_evidence(facts, "period") if too_early or too_late else None


def _period_order(rule: PeriodOrderRule, document: Document, facts: Facts) -> list[Evidence] | None:
    start, end = facts.period.start, facts.period.end
    return _fact_evidence(facts, "period") if start and end and end < start else None


def _amount_pattern_above(rule: AmountPatternAboveRule, document: Document, facts: Facts) -> list[Evidence] | None:
    """The evidence is the amount that exceeds the limit itself, so the message names that amount."""
    patterns = [re.compile(p, re.IGNORECASE) for p in rule.patterns]
    for sentence in document.sentences:
        if any(p.search(sentence.text) for p in patterns):
            for money in _MONEY.find(sentence.text):
                if money.value > rule.limit_sek:
                    return [Evidence(text=sentence.text[money.start : money.end], start=sentence.start + money.start,
                                     end=sentence.start + money.end, score=1.0, source=rule_source(rule.id))]
    return None


def _evaluate(rule: Rule, document: Document, facts: Facts) -> list[Evidence] | None:
    """The evidence for one rule, or None when it does not fire; each rule class has its own evaluator."""
    match rule:
        case ShareAboveRule():
            return _share_above(rule, document, facts)
        case FactsMissingRule():
            return _facts_missing(rule, document, facts)
        case ContentMissingRule():
            return _content_missing(rule, document, facts)
        case PatternPresentRule():
            return _pattern_present(rule, document, facts)
        case PeriodWithinRule():
            return _period_within(rule, document, facts)
        case PeriodOrderRule():
            return _period_order(rule, document, facts)
        case AmountPatternAboveRule():
            return _amount_pattern_above(rule, document, facts)


class RuleEngine:
    def __init__(self, rules: RuleSet) -> None:
        self._rules = rules.rules

    def evaluate(self, document: Document, facts: Facts) -> list[Finding]:
        findings = []
        for rule in self._rules:
            if document.kind not in rule.applies_to:
                continue
            evidence = _evaluate(rule, document, facts)
            if evidence is None:
                continue
            findings.append(Finding(rule=rule.id, severity=rule.severity, message=_message(rule, facts, evidence),
                                    citation=rule.citation, evidence=evidence))
        return findings


def _message(rule: Rule, facts: Facts, evidence: list[Evidence]) -> str:
    """The rule's message with its placeholders filled (the corpus schema admits only these names)."""
    values = {
        "share": _number(facts.share_percent), "amount": _amount_in(evidence),
        "start": facts.period.start, "end": facts.period.end,
        "latest_end": getattr(rule, "latest_end", None), "limit": _number(getattr(rule, "limit_percent", None)),
        "limit_sek": _kronor(getattr(rule, "limit_sek", None)),
    }
    return rule.message.format(**{name: values[name] for name in RULE_MESSAGE_FIELDS})


def _number(value: float | None) -> str:
    return "" if value is None else (f"{value:.0f}" if float(value).is_integer() else f"{value}".replace(".", ","))


def _amount_in(evidence: list[Evidence]) -> str:
    for item in evidence:
        if found := _MONEY.find(item.text):
            return _kronor(found[0].value)
    return ""


def _kronor(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}".replace(",", "\u00a0")
