"""Facts: the amount asked from (or granted by) the region, its share of costs, the project period.

A text names many amounts: the total budget, other financiers, limits. Each
candidate is scored by the words around it (granted "dock högst", requested
"vi ansöker om … från Region …", totals, other funders) and the best one is
taken, with its role said out loud. Shares and dates follow the same idea.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from analysis.document import Document
from analysis.nlp import Sentence
from analysis.result import Evidence, Facts, Period

_NUMBER = r"\d{1,3}(?:[ .]\d{3})+|\d+(?:,\d+)?"
AMOUNT = re.compile(
    rf"(?P<number>{_NUMBER})\s*(?P<unit>miljoner kronor|miljon kronor|miljoner|miljon|mnkr|mkr|msek|mdkr|tkr|kkr|kronor|kr|sek)\b"
    rf"|(?P<number2>{_NUMBER})\s*(?P<unit2>:-)"
    rf"|\b(?P<unit3>sek|kr\.?)\s*(?P<number3>{_NUMBER})\b",
    re.IGNORECASE,
)
_MULTIPLIER = {"miljoner kronor": 1_000_000, "miljon kronor": 1_000_000, "miljoner": 1_000_000, "miljon": 1_000_000,
               "mnkr": 1_000_000, "mkr": 1_000_000, "msek": 1_000_000, "tkr": 1_000, "kkr": 1_000}
SHARE = re.compile(r"(?P<number>\d{1,3}(?:,\d+)?)\s*(?:%|procent\b)|\b(?P<word>hälften|en tredjedel|en fjärdedel)\b",
                   re.IGNORECASE)
_SHARE_WORDS = {"hälften": 50.0, "en tredjedel": 33.3, "en fjärdedel": 25.0}

_REGION = re.compile(r"\b(region\w* (örebro|värmland)|regionen\w*|regionens|regional medfinansiering|anslag\w* 1:1|"
                     r"statliga anslaget|regionala tillväxtåtgärder|regional tillväxtnämnd)", re.IGNORECASE)
_GRANTED = re.compile(r"\b(dock högst|beviljas|beviljar)\b", re.IGNORECASE)
_REQUESTED = re.compile(r"\b(söker|ansöker om|söks|sökt belopp|sökta beloppet|begär|begärs|bidra med|bidrar med)\b", re.IGNORECASE)
_TOTAL = re.compile(r"\b(total\w*|sammanlagt|omsluter|omslutning|beräknas till|budget\w* (är|uppgår)|uppgår till)\b", re.IGNORECASE)
_OTHER_FUNDER = re.compile(
    r"\b(regionalfond\w*|socialfond\w*|esf\+?|eruf|interreg|eu|tillväxtverket|kommun\w*|företagen|universitet\w*|"
    r"resterande|övrig\w* finansiering|egen insats|medfinansierar|länsstyrelsen)\b", re.IGNORECASE)
_TOTAL_JUST_BEFORE = re.compile(
    r"\b(budget\w*|kostnad\w*|omslutning)\s*(:|är|uppgår till|uppgår|beräknas till|på|om)?\s*$|\bomsluter\s*$",
    re.IGNORECASE)
_LIMIT_BEFORE = re.compile(r"\b(under|över|upp till|maximalt|minst)\s*$", re.IGNORECASE)
_COST = re.compile(r"^\s*(av\s+)?(projektets|förstudiens|den|de|hela)?\s*(totala\s+|bokförda\s+|stödberättigande\s+)?"
                   r"(kostnader\w*|kostnaden|budget\w*)", re.IGNORECASE)
_COST_OF = re.compile(r"^\s*av\s+(projektets|förstudiens|den totala|de totala|kostnaderna|budgeten)", re.IGNORECASE)
_SHARE_LABEL = re.compile(r"\bandel\w*\b.*\b(kostnad\w*|budget\w*)", re.IGNORECASE)

MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
          "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
          "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = re.compile(
    rf"\b(?P<iso>(?P<iy>20\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d))\b"
    rf"|\b(?P<dmy>(?P<dd>[0-3]?\d)\s+(?P<dm>{_MONTH})\.?\s+(?P<dy>20\d\d))\b"
    rf"|\b(?P<my>(?P<mm>{_MONTH})\.?\s+(?P<myy>20\d\d))\b"
    rf"|\b(?P<year>20\d\d)\b(?![-/]\d)",
    re.IGNORECASE,
)
_PERIOD_CUE = re.compile(r"\b(projektperiod\w*|projekttid\w*|påbörjas|avslutas|genomförs|genomföras|pågå\w*|"
                         r"från och med|till och med|startar|löper)\b", re.IGNORECASE)
_START_CUE = re.compile(r"\b(påbörjas|startar|från och med|tidigast|från)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Candidate:
    value: float
    start: int
    end: int
    score: float
    role: str
    sentence: Sentence


def extract_facts(document: Document) -> Facts:
    amount = _best_amount(document)
    share = _best_share(document, amount)
    period, period_sentence = _period(document)
    evidence = [
        Evidence(text=sentence.text, start=sentence.start, end=sentence.end, score=1.0, source=source)
        for sentence, source in ((amount and amount.sentence, "facts:amount"), (share and share.sentence, "facts:share"),
                                 (period_sentence, "facts:period"))
        if sentence is not None
    ]
    return Facts(
        amount_sek=int(round(amount.value)) if amount else None,
        amount_role=amount.role if amount else None,
        share_percent=share.value if share else None,
        period=period,
        evidence=evidence,
    )


def parse_amount(number: str, unit: str) -> float:
    digits = re.sub(r"[ .]", "", number).replace(",", ".")
    return float(digits) * _MULTIPLIER.get(unit.lower(), 1)


def amount_of(match: re.Match[str]) -> float:
    """The value of an AMOUNT match in kronor, whichever of its three written forms matched."""
    if match["number"]:
        return parse_amount(match["number"], match["unit"])
    return parse_amount(match["number2"] or match["number3"], "kr")


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """Text from the previous clause boundary to the match, and from the match to the next one."""
    left_bound = max(text.rfind(mark, 0, start) for mark in (",", ";", "(", ":")) + 1
    right = re.search(r"[,;)]", text[end:])
    return text[left_bound:start], text[end : end + (right.start() if right else len(text) - end)]


def _label(document: Document, sentence: Sentence) -> str:
    section = document.section_of(sentence)
    return section.heading or "" if section.style in ("field", "inline-field") else ""


def _best_amount(document: Document) -> _Candidate | None:
    best: _Candidate | None = None
    for sentence in document.sentences:
        label = _label(document, sentence)
        for match in AMOUNT.finditer(sentence.text):
            value = amount_of(match)
            if value < 1000:
                continue
            before, after = _clause(sentence.text, match.start(), match.end())
            window = sentence.text[max(0, match.start() - 90) : match.start()]
            context = f"{label} {sentence.text}"
            score, role = 0.0, "unknown"
            if re.search(r"dock högst\s*$", sentence.text[: match.start()], re.IGNORECASE):
                score, role = 6.0, "granted"
            elif _GRANTED.search(window) and not _OTHER_FUNDER.search(before):
                score, role = 4.0, "granted"
            if _REQUESTED.search(f"{label} {window}"):
                score, role = max(score, 4.0), role if role == "granted" else "requested"
            if _REGION.search(context):
                score += 2.0
                role = "regional-share" if role == "unknown" else role
            if _TOTAL.search(f"{label} {before}") and role not in ("granted", "requested"):
                score -= 6.0
            if (_OTHER_FUNDER.search(f"{label} {before}") and not _REGION.search(before + after)
                    and role not in ("granted", "requested")):
                score -= 6.0
            if _LIMIT_BEFORE.search(sentence.text[: match.start()]):
                score -= 4.0
            if role != "granted" and _TOTAL_JUST_BEFORE.search(sentence.text[: match.start()]):
                score -= 8.0  # "av den totala budgeten på 2 000 000 kr": the total, whoever asks
            if score > 0 and (best is None or score > best.score):
                best = _Candidate(value, sentence.start + match.start(), sentence.start + match.end(), score, role, sentence)
    return best


def _best_share(document: Document, amount: _Candidate | None) -> _Candidate | None:
    best: _Candidate | None = None
    for sentence in document.sentences:
        label = _label(document, sentence)
        for match in SHARE.finditer(sentence.text):
            value = _SHARE_WORDS[match["word"].lower()] if match["word"] else float(match["number"].replace(",", "."))
            if not 0 < value <= 100:
                continue
            before, after = _clause(sentence.text, match.start(), match.end())
            following = sentence.text[match.end() : match.end() + 60]
            score = 0.0
            if amount is not None and amount.sentence is sentence:
                score += 4.0
            if _COST.search(following) or _COST_OF.search(following):
                score += 3.0
            preceding = sentence.text[: match.start()]
            if _SHARE_LABEL.search(label) or _SHARE_LABEL.search(preceding):
                score += 3.0
            asked = _GRANTED.search(before) or _REQUESTED.search(f"{label} {preceding}")
            if _REGION.search(f"{label} {sentence.text}") or asked:
                score += 2.0
            # "varav Regionalfonden finansierar 40 procent": another funder's share, not the region's;
            # but "Hallsbergs kommun beviljas 50 procent": the recipient, not a funder.
            if (_OTHER_FUNDER.search(before) and not _REGION.search(before) and not asked) or re.search(
                    r"^\s*(finansieras|betalas|bekostas) av", after, re.IGNORECASE):
                score -= 6.0
            if score >= 5 and (best is None or score > best.score):
                best = _Candidate(value, sentence.start + match.start(), sentence.start + match.end(), score, "share", sentence)
    return best


def _interval(match: re.Match[str]) -> tuple[date, date]:
    if match["iso"]:
        day = date(int(match["iy"]), int(match["im"]), int(match["id"]))
        return day, day
    if match["dmy"]:
        day = date(int(match["dy"]), MONTHS[match["dm"].lower()], int(match["dd"]))
        return day, day
    if match["my"]:
        year, month = int(match["myy"]), MONTHS[match["mm"].lower()]
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    year = int(match["year"])
    return date(year, 1, 1), date(year, 12, 31)


def _period(document: Document) -> tuple[Period, Sentence | None]:
    for sentence in document.sentences:
        section = document.section_of(sentence)
        cue = _PERIOD_CUE.search(sentence.text) or section.id == "tidsplan" and section.style == "inline-field"
        if not cue:
            continue
        intervals = []
        for match in DATE.finditer(sentence.text):
            try:
                intervals.append(_interval(match))
            except ValueError:  # 2025-02-30 and the like: not a date
                continue
        if not intervals:
            continue
        if len(intervals) >= 2:
            return Period(start=intervals[0][0], end=intervals[-1][1]), sentence
        (first, last), = intervals
        if first != last:  # a month or a year: the whole of it
            return Period(start=first, end=last), sentence
        if _START_CUE.search(sentence.text):
            return Period(start=first), sentence
        return Period(end=last), sentence
    return Period(), None
