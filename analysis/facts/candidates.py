"""Fact candidates: every amount, share and period the text could mean, each described by features.

A candidate's features say which cue classes (policy_corpus/facts.yaml) stand
where around it: right before it, in its clause before or after, anywhere in
its sentence, or in the field label or heading above it. Numeric features add
what the words cannot: size, repetition, position, section, kind of text. The
ranker (ranker.py) turns features into a probability; nothing here decides.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import get_args

from analysis.corpus.schema import DocumentKind, FactCues, FactKind, HeadingLexicon, Region
from analysis.document import Document
from analysis.facts.numbers import (
    DASHES,
    DateFinder,
    DateToken,
    MoneyFinder,
    PercentFinder,
    add_months_minus_a_day,
    durations,
)
from analysis.nlp import Sentence
from analysis.result import AmountRole
from analysis.sections import FIELD_STYLES

FACT_KINDS: tuple[FactKind, ...] = get_args(FactKind)
WHERE = ("near", "before", "after", "sentence", "label", "close")  # where a cue stands relative to a candidate
CLOSE = ("near", "before", "label")  # "close" pools these: a label above a field value reads like words before it
SUBJECTS = {  # interactions a linear ranker cannot learn alone: a party in the clause, then its verb
    "other_pays": ("other-funder", ("funds",)),
    "other_receives": ("other-funder", ("granted", "requested")),
    "region_pays": ("region-body", ("funds", "granted")),
}
NEAR_CHARS = 40
PAIR_REACH = 3  # a period's end is among the next three dates
PAIR_GAP_CHARS = 100
MAX_CANDIDATES = 400  # per fact and document: bounded work on hostile input
DOCUMENT_KINDS: tuple[DocumentKind, ...] = get_args(DocumentKind)
_CLAUSE_MARKS = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_CONNECTOR = re.compile(rf"^\s*(?:[{DASHES}]|till och med|till|t\.\s?o\.\s?m\.?|tom|fram till|och)?\s*"
                        rf"(?:[{DASHES}]\s*)?$", re.IGNORECASE)

Period = tuple[date | None, date | None]


@dataclass
class Candidate:
    fact: FactKind
    value: float | Period
    start: int  # document offsets of the expression
    end: int
    sentence: int  # index into document.sentences
    role: AmountRole | None = None  # amounts only
    features: dict[str, float] = field(default_factory=dict)


class _Cues:
    """Each cue class compiled once; per sentence, the spans where each class matches (sorted)."""

    def __init__(self, cues: FactCues, regions: list[Region]) -> None:
        self.names = list(cues.cues)
        self._patterns = {}
        for name, cue in cues.cues.items():
            patterns = list(cue.patterns)
            if name == "region-body":  # the manifest's regions are funding bodies too
                patterns += [re.escape(region.name) for region in regions]
            self._patterns[name] = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    def spans(self, text: str) -> dict[str, tuple[list[int], list[int]]]:
        """class → (sorted starts, ends in the same order)."""
        out = {}
        for name, pattern in self._patterns.items():
            starts, ends = [], []
            for match in pattern.finditer(text):
                starts.append(match.start())
                ends.append(match.end())
            out[name] = (starts, ends)
        return out

    def present(self, text: str) -> set[str]:
        return {name for name, pattern in self._patterns.items() if pattern.search(text)}


def _any_in(starts: list[int], ends: list[int], lo: int, hi: int) -> bool:
    """Is there a cue that starts at or after lo and ends at or before hi?"""
    index = bisect_left(starts, lo)
    return index < len(starts) and ends[index] <= hi


@dataclass
class _SentenceView:
    index: int
    sentence: Sentence
    cues: dict[str, tuple[list[int], list[int]]]
    label: set[str]
    marks: list[int]  # clause boundary positions

    def clause(self, start: int, end: int) -> tuple[int, int]:
        before = bisect_right(self.marks, start - 1)
        left = self.marks[before - 1] + 1 if before else 0
        after = bisect_left(self.marks, end)
        right = self.marks[after] if after < len(self.marks) else len(self.sentence.text)
        return left, right

    def cue_features(self, start: int, end: int) -> dict[str, float]:
        left, right = self.clause(start, end)
        text_end = len(self.sentence.text)
        features: dict[str, float] = {}
        windows = {"near": (max(0, start - NEAR_CHARS), start), "before": (left, start), "after": (end, right),
                   "sentence": (0, text_end)}
        for name, (starts, ends) in self.cues.items():
            labelled = name in self.label
            if not starts and not labelled:
                continue  # the class is nowhere in the sentence or its label: no feature to set
            for where, (lo, hi) in windows.items():
                if _any_in(starts, ends, lo, hi) or (where == "sentence" and _any_in(starts, ends, end, text_end)):
                    features[f"{name}@{where}"] = 1.0
            if labelled:
                features[f"{name}@label"] = 1.0
            if any(f"{name}@{where}" in features for where in CLOSE):
                features[f"{name}@close"] = 1.0
        for name, (subject, verbs) in SUBJECTS.items():  # who does what: "kommunen finansierar" vs "kommunen får"
            if f"{subject}@before" in features and any(f"{verb}@before" in features for verb in verbs):
                features[name] = 1.0
        return features


class CandidateGenerator:
    """All candidates of a document, with features; built once per corpus."""

    def __init__(self, cues: FactCues, regions: list[Region], headings: HeadingLexicon) -> None:
        self._cues = _Cues(cues, regions)
        self._money = MoneyFinder()
        self._percent = PercentFinder()
        self._dates = DateFinder()
        self._sections = [entry.id for entry in headings.sections]
        self._title = headings.title.id
        self.feature_names: dict[FactKind, list[str]] = {fact: self._names(fact) for fact in FACT_KINDS}

    def _names(self, fact: FactKind) -> list[str]:
        cue = [f"{name}@{where}" for name in self._cues.names for where in WHERE] + list(SUBJECTS)
        common = ["position", "early", "alone", "one_of_few", *[f"section={s}" for s in [*self._sections, "none"]],
                  *[f"kind={k}" for k in DOCUMENT_KINDS]]
        specific = {
            "amount": ["log_value", "is_max", "repeats", "money_in_sentence", "words", "unit_million",
                       "unit_thousand", "share_in_clause", "round", "small", "derived", "field"],
            "share": ["value", "value_50", "above_50", "repeats", "money_in_clause", "money_in_sentence",
                      "fraction", "words", "field"],
            "period": ["both_ends", "start_only", "end_only", "start_day", "end_day", "start_year", "end_year",
                       "months", "derived", "plausible_length", "dates_in_sentence", "field", "tight"],
        }[fact]
        return cue + common + specific

    def generate(self, document: Document) -> dict[FactKind, list[Candidate]]:
        out: dict[FactKind, list[Candidate]] = {fact: [] for fact in FACT_KINDS}
        for index, sentence in enumerate(document.sentences):
            text = sentence.text
            money = self._money.find(text)
            percents = self._percent.find(text)
            dates = self._dates.find(text)
            if not (money or percents or dates):
                continue  # no candidate: the cue scan (a third of the facts' time) is not needed
            view = self._view(document, index)
            out["amount"] += self._amounts(view, money, percents, dates)
            out["share"] += self._shares(view, percents, money)
            out["period"] += self._periods(view, dates)
        for fact, candidates in out.items():
            del candidates[MAX_CANDIDATES:]
            self._document_features(document, fact, candidates)
        return out

    def _view(self, document: Document, index: int) -> _SentenceView:
        sentence = document.sentences[index]
        section = document.section_of(sentence)
        label = section.heading if section.heading and section.style in FIELD_STYLES else ""
        marks = [m.start() for m in _CLAUSE_MARKS.finditer(sentence.text)]
        return _SentenceView(index, sentence, self._cues.spans(sentence.text), self._cues.present(label), marks)

    # ---- amounts --------------------------------------------------------------------------------
    def _amounts(self, view: _SentenceView, money: list, percents: list, dates: list[DateToken]) -> list[Candidate]:
        out = []
        for item in money:
            if item.value < 1000:
                continue
            features = view.cue_features(item.start, item.end)
            left, right = view.clause(item.start, item.end)
            features |= {
                "log_value": math.log10(item.value) / 7, "money_in_sentence": min(len(money), 5) / 5,
                "words": float(item.written == "words"),
                "unit_million": float(item.unit.startswith(("milj", "mn", "mk", "ms"))),
                "unit_thousand": float(item.unit in ("tkr", "kkr", "tusen kronor")),
                "share_in_clause": float(any(left <= p.start < right for p in percents)),
                "round": float(item.value % 100_000 == 0), "small": float(item.value < 50_000),
            }
            base = Candidate("amount", item.value, view.sentence.start + item.start, view.sentence.start + item.end,
                             view.index, _role(features), features)
            out.append(base)
            per_period = features.get("per-period@after") or features.get("per-period@near")
            if per_period and (years := _year_span(dates)) is not None:
                out.append(Candidate("amount", item.value * years, base.start, base.end, view.index, base.role,
                                     {**features, "derived": 1.0, "log_value": math.log10(item.value * years) / 7}))
        return out

    # ---- shares ---------------------------------------------------------------------------------
    def _shares(self, view: _SentenceView, percents: list, money: list) -> list[Candidate]:
        out = []
        for item in percents:
            features = view.cue_features(item.start, item.end)
            left, right = view.clause(item.start, item.end)
            features |= {
                "value": item.value / 100, "value_50": float(item.value == 50), "above_50": float(item.value > 50),
                "money_in_clause": float(any(left <= m.start < right for m in money)),
                "money_in_sentence": float(bool(money)), "fraction": float(item.written == "fraction"),
                "words": float(item.written == "words"),
            }
            out.append(Candidate("share", item.value, view.sentence.start + item.start,
                                 view.sentence.start + item.end, view.index, None, features))
        return out

    # ---- periods --------------------------------------------------------------------------------
    def _periods(self, view: _SentenceView, dates: list[DateToken]) -> list[Candidate]:
        text = view.sentence.text
        out: list[Candidate] = []
        used: set[int] = set()
        for i, first in enumerate(dates):
            for j in range(i + 1, min(len(dates), i + 1 + PAIR_REACH)):
                second = dates[j]
                gap = text[first.end : second.start]
                tight = bool(_CONNECTOR.match(gap))
                if len(gap) > PAIR_GAP_CHARS or not (tight or _ordered(first, second)):
                    continue  # a reversed pair only when written as one range: the rules report it
                candidate = self._period(view, first.first, second.last, first.start, second.end, len(dates))
                candidate.features["tight"] = float(tight)
                out.append(candidate)
                used |= {i, j}
        spans = durations(text)
        for i, token in enumerate(dates):
            if token.first is None or i in used and token.precision != "day":
                continue
            if i not in used:
                out.append(self._period(view, token.first, None, token.start, token.end, len(dates)))
                out.append(self._period(view, None, token.last, token.start, token.end, len(dates)))
                if token.precision != "day":
                    out.append(self._period(view, token.first, token.last, token.start, token.end, len(dates)))
            for months, start, end in spans:
                if abs(start - token.end) < 80 or abs(token.start - end) < 80:
                    last = add_months_minus_a_day(token.first, months)
                    candidate = self._period(view, token.first, last, min(start, token.start), max(end, token.end),
                                             len(dates))
                    candidate.features["derived"] = 1.0
                    out.append(candidate)
        return out

    def _period(self, view: _SentenceView, first: date | None, last: date | None, start: int, end: int,
                n_dates: int) -> Candidate:
        features = view.cue_features(start, end)
        months = (last.year - first.year) * 12 + last.month - first.month + 1 if first and last else 0
        features |= {
            "both_ends": float(first is not None and last is not None), "start_only": float(last is None),
            "end_only": float(first is None), "months": min(months, 120) / 60,
            "plausible_length": float(6 <= months <= 72), "dates_in_sentence": min(n_dates, 6) / 6,
            "start_day": float(first is not None and first.day != 1),
            "end_day": float(last is not None and not (last.month == 12 and last.day == 31)),
            "start_year": float(first is not None and first.month == 1 and first.day == 1),
            "end_year": float(last is not None and last.month == 12 and last.day == 31),
        }
        return Candidate("period", (first, last), view.sentence.start + start, view.sentence.start + end,
                         view.index, None, features)

    # ---- document-level features ----------------------------------------------------------------
    def _document_features(self, document: Document, fact: FactKind, candidates: list[Candidate]) -> None:
        n = max(len(document.sentences), 1)
        values = Counter(c.value for c in candidates)
        largest = max((c.value for c in candidates if isinstance(c.value, float)), default=None)
        for candidate in candidates:
            sentence = document.sentences[candidate.sentence]
            section = document.section_of(sentence)
            features = candidate.features
            features["position"] = candidate.sentence / n
            features["early"] = float(candidate.sentence < 3)
            if section.id != self._title:  # the ranker has no title feature (adding one means a refit)
                features[f"section={section.id or 'none'}"] = 1.0
            features[f"kind={document.kind}"] = 1.0
            features["field"] = float(section.style in FIELD_STYLES)
            if fact != "period":  # a period's repeats are not one of its features (see _names)
                features["repeats"] = math.log1p(values[candidate.value] - 1)
            features["alone"] = float(len(values) == 1)
            features["one_of_few"] = 1.0 / len(values)
            if fact == "amount":
                features["is_max"] = float(candidate.value == largest)


def _role(features: dict[str, float]) -> AmountRole:
    """What the amount is, in the contract's words: granted, requested, the region's share, or unknown."""
    close = ("near", "before", "label")
    if any(features.get(f"granted@{w}") for w in close) or features.get("ceiling@near"):
        return "granted"
    if any(features.get(f"requested@{w}") for w in close):
        return "requested"
    if any(features.get(f"region-body@{w}") for w in (*close, "sentence")):
        return "regional-share"
    return "unknown"


def _ordered(first: DateToken, second: DateToken) -> bool:
    if first.first is None or second.last is None:
        return first.precision == "season" or second.precision == "season"
    return first.first <= second.last


def _year_span(dates: list[DateToken]) -> int | None:
    """Number of years of a year range in the sentence ("2025–2027" → 3), for per-year amounts."""
    years = [d for d in dates if d.precision == "year" and d.first is not None]
    if len(years) >= 2 and years[0].first and years[-1].first:
        span = years[-1].first.year - years[0].first.year + 1
        return span if 1 < span <= 10 else None
    return None
