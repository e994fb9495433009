"""Which documents an analyst should open first, and why, in Swedish.

Order: documents with an error finding (or that could not be analyzed), then those where a required
perspective is absent, then thin, then those the tool was unsure about, then warnings and sanity flags;
within a group, more problems first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from analysis.batch.rows import SanityLimits, amount_median
from analysis.labels import sv

if TYPE_CHECKING:
    from analysis.corpus.schema import PolicyCorpus

Tier = Literal["error", "absent", "thin", "unsure", "other", "none"]
TIERS: tuple[Tier, ...] = ("error", "absent", "thin", "unsure", "other", "none")
NBSP = "\u00a0"


def sek(amount: float | None) -> str:
    return "–" if amount is None else f"{round(float(amount)):,}".replace(",", NBSP) + f"{NBSP}kr"


def percent(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{float(value):.{digits}f}".replace(".", ",") + f"{NBSP}%"


def span(start: Any, end: Any) -> str:
    return f"{start or '?'}–{end or '?'}"


@dataclass(frozen=True)
class Names:
    """Swedish names for everything the report shows, from the corpus (and the label table)."""

    frameworks: dict[str, str]
    items: dict[str, str]
    perspectives: dict[str, str]
    required: tuple[str, ...]
    severities: dict[str, str]
    regions: dict[str, str]
    sections: dict[str, str]
    limits: SanityLimits

    @classmethod
    def from_corpus(cls, corpus: PolicyCorpus, limits: SanityLimits) -> Names:
        persp = corpus.perspectives.perspectives
        return cls(frameworks={f.id: f.name for f in corpus.frameworks},
                   items={i.id: i.name for f in corpus.frameworks for i in f.items},
                   perspectives={p.id: p.name for p in persp},
                   required=tuple(p.id for p in persp if p.required),
                   severities={r.id: r.severity for r in corpus.rules.rules},
                   regions={r.id: r.name for r in corpus.manifest.regions},
                   sections={s.id: s.name for s in corpus.headings.sections},  # the title is no heading
                   limits=limits)

    def rule(self, rule_id: str) -> str:
        return sv("rule", rule_id)


@dataclass
class Entry:
    """One document of the backlog: its flat row, and the full result row when the input carried it."""

    flat: dict[str, Any]
    full: dict[str, Any] | None = None
    tier: Tier = "none"
    reasons: list[str] = field(default_factory=list)
    rank: int = 0

    @property
    def ok(self) -> bool:
        return self.flat.get("status") == "ok"

    def split(self, column: str) -> list[str]:
        return [x for x in str(self.flat.get(column) or "").split(";") if x]

    def findings(self) -> list[dict[str, Any]]:
        """Findings with their message: from the full result, else rule ids from the flat row."""
        if self.full and self.full.get("result"):
            return self.full["result"]["findings"]
        return [{"rule": rule, "severity": None, "message": None} for rule in self.split("findings")]


def _finding_severity(finding: dict[str, Any], names: Names) -> str:
    return finding.get("severity") or names.severities.get(finding["rule"], "warning")


def _finding_sentence(finding: dict[str, Any], names: Names) -> str:
    return finding.get("message") or names.rule(finding["rule"]) + "."


def _flag_sentence(flag: str, entry: Entry, names: Names, median: float | None) -> str | None:
    flat, limits = entry.flat, names.limits
    if flag == "amount-outlier":
        return sv("attention_reason", flag).format(amount=sek(flat.get("amount_sek")), median=sek(median))
    if flag == "period-outside-programme":
        window = limits.programmes.get(flat.get("region") or "")
        return sv("attention_reason", flag).format(period=span(flat.get("period_start"), flat.get("period_end")),
                                                   programme=span(*window) if window else "–")
    if flag == "share-above-limit" and "share-above-limit" not in entry.split("findings"):
        return sv("attention_reason", flag).format(share=percent(flat.get("share_percent")),
                                                   limit=percent(limits.share_limit))
    return None


def join_sv(words: list[str]) -> str:
    """'a, b och c': a Swedish enumeration of names inside a sentence (lower case)."""
    words = [w[:1].lower() + w[1:] for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def _perspective_tier(entry: Entry, names: Names, status: str) -> list[str]:
    """One sentence for all required perspectives with this status, e.g. 'Texten tar inte upp miljö och barn.'"""
    found = [names.perspectives.get(p, p) for p in names.required if entry.flat.get(p) == status]
    return [sv("attention_reason", status).format(names=join_sv(found))] if found else []


def assess(entry: Entry, names: Names, median: float | None) -> Entry:
    """Set the entry's tier and its reasons (Swedish sentences, most important first)."""
    if not entry.ok:
        error = sv("error_type", str(entry.flat.get("error_type")))
        entry.tier, entry.reasons = "error", [sv("attention_reason", "unreadable").format(error=error)]
        return entry
    findings = entry.findings()
    errors = [_finding_sentence(f, names) for f in findings if _finding_severity(f, names) == "error"]
    absent, thin = _perspective_tier(entry, names, "absent"), _perspective_tier(entry, names, "thin")
    flags = entry.split("flags")
    unsure = []
    if "unsure" in flags:
        unsure = [sv("attention_reason", "unsure").format(
            name=entry.flat.get("rus_top_name") or "–", score=percent(100 * float(entry.flat["rus_top_score"])))]
    others = [_finding_sentence(f, names) for f in findings if _finding_severity(f, names) != "error"]
    others += [s for flag in flags if (s := _flag_sentence(flag, entry, names, median))]
    groups = (errors, absent, thin, unsure, others)
    entry.tier = next((tier for tier, found in zip(TIERS, groups, strict=False) if found), "none")
    entry.reasons = errors + absent + thin + unsure + others
    return entry


def sort_key(entry: Entry, names: Names) -> tuple:
    """Tier first; within a tier more error findings, absent and thin perspectives, flags; then less sure."""
    severities = [_finding_severity(f, names) for f in entry.findings()] if entry.ok else []
    required = [entry.flat.get(p) for p in names.required]
    score = entry.flat.get("rus_top_score")
    return (TIERS.index(entry.tier), -severities.count("error"), -required.count("absent"), -required.count("thin"),
            -len(entry.split("flags")), -len(severities), float(score) if score is not None else 1.0,
            str(entry.flat.get("title") or entry.flat.get("id")))


def rank(entries: list[Entry], names: Names) -> list[Entry]:
    """Assess every entry and return them in attention order, with ``rank`` numbered from 1."""
    median = amount_median([e.flat for e in entries], names.limits)
    for entry in entries:
        assess(entry, names, median)
    ordered = sorted(entries, key=lambda e: sort_key(e, names))
    for number, entry in enumerate(ordered, start=1):
        entry.rank = number
    return ordered
