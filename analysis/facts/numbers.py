"""Swedish number, money and date expressions: language mechanics, no policy.

Every pattern is anchored so that a run of digits is only tried where it starts
(a look-behind refuses a digit before), which keeps scanning linear in the text
length even for hostile input such as thousands of digits in a row.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MAX_DIGITS = 15  # longer digit strings are identifiers or junk, never an amount

# "1 493 000", "1.450.000", "1950 000" (a four-digit first group, as typed), "300000", "2,5"
_GROUPED = r"\d{1,4}(?:[ \u00a0.]\d{3})+(?!\d)"
_PLAIN = r"\d+(?:,\d+)?"
# A number starts where no digit group ends just before it ("123 456": only at "123"), so a long chain of
# groups is tried once, not once per group: linear in its length.
NUMBER = rf"(?<![\d,.])(?<!\d[ \u00a0.])(?:{_GROUPED}|{_PLAIN})"
UNITS = {
    "miljarder kronor": 1e9, "miljard kronor": 1e9, "miljarder": 1e9, "miljard": 1e9, "mdkr": 1e9,
    "miljoner kronor": 1e6, "miljon kronor": 1e6, "miljoner": 1e6, "miljon": 1e6, "mnkr": 1e6, "mkr": 1e6,
    "msek": 1e6, "mln": 1e6, "tkr": 1e3, "kkr": 1e3, "tusen kronor": 1e3, "kronor": 1, "kr": 1, "sek": 1, ":-": 1,
}
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
          "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
          "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

# Swedish number words, fractions and seasons: language data, like the month names.
NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
    "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20, "tjugofem": 25, "trettio": 30, "fyrtio": 40, "femtio": 50,
    "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90, "hundra": 100,
}
FRACTIONS = {
    "hälften": 50, "halva": 50, "en tredjedel": 33.3, "en tredje del": 33.3, "två tredjedelar": 66.7,
    "en fjärdedel": 25, "tre fjärdedelar": 75, "en femtedel": 20,
}
SEASONS = (
    "hösten", "våren", "sommaren", "vintern", "ht", "vt", "höstterminen", "vårterminen", "läsåret", "läsåren",
    "sommarlovet",
)
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def parse_number(text: str) -> float | None:
    """'1 493 000' → 1493000, '2,5' → 2.5; None for digit strings too long to be money."""
    digits = re.sub(r"[ \u00a0.]", "", text).replace(",", ".")
    if sum(ch.isdigit() for ch in digits) > MAX_DIGITS:
        return None
    try:
        return float(digits)
    except ValueError:
        return None


@dataclass(frozen=True)
class Money:
    value: float
    start: int
    end: int
    unit: str
    written: str  # "digits" | "words"


class MoneyFinder:
    """Money expressions in digits ("1,5 mnkr", "SEK 750 000", "500 000:-") and in words ("tre miljoner")."""

    def __init__(self, number_words: dict[str, int] = NUMBER_WORDS) -> None:
        words = "|".join(re.escape(w) for w in sorted(number_words, key=len, reverse=True))
        self._words = {w.lower(): v for w, v in number_words.items()}
        self._needed = re.compile(r"\d|milj", re.IGNORECASE)  # in every match: a cheap test skips most sentences
        self._pattern = re.compile(
            rf"(?P<n1>{NUMBER})\s?(?P<u1>{_UNIT})(?![\wåäöÅÄÖ])"
            rf"|(?<![\wåäö])(?:sek|kr\.?)\s?(?P<n2>{NUMBER})(?!\s?(?:{_UNIT})(?![\wåäö]))"
            rf"|(?<![\wåäöÅÄÖ])(?P<w>{words})\s(?P<u3>miljoner kronor|miljon kronor|miljoner|miljon|miljarder|miljard)"
            rf"(?![\wåäö])",
            re.IGNORECASE)

    def find(self, text: str) -> list[Money]:
        if not self._needed.search(text):
            return []
        out = []
        for match in self._pattern.finditer(text):
            if match["n1"]:
                number, unit, written = parse_number(match["n1"]), match["u1"].lower(), "digits"
            elif match["n2"]:
                number, unit, written = parse_number(match["n2"]), "kr", "digits"
            else:
                number, unit, written = float(self._words[match["w"].lower()]), match["u3"].lower(), "words"
            if number is None:
                continue
            out.append(Money(number * UNITS[unit], match.start(), match.end(), unit, written))
        return out


@dataclass(frozen=True)
class Percent:
    value: float
    start: int
    end: int
    written: str  # "digits" | "words" | "fraction"


class PercentFinder:
    """Shares: "19 %", "37,5 procent", glued "om18 procent", "nio procent", "hälften", "tre fjärdedelar"."""

    def __init__(self, number_words: dict[str, int] = NUMBER_WORDS, fractions: dict[str, float] = FRACTIONS) -> None:
        words = "|".join(re.escape(w) for w in sorted(number_words, key=len, reverse=True))
        parts = "|".join(re.escape(f) for f in sorted(fractions, key=len, reverse=True))
        self._words = {w.lower(): v for w, v in number_words.items()}
        self._fractions = {f.lower(): v for f, v in fractions.items()}
        self._needed = re.compile(rf"\d|procent|{parts}", re.IGNORECASE)  # in every match
        self._pattern = re.compile(
            rf"(?<![\d,.])(?P<n>\d{{1,3}}(?:,\d{{1,2}})?)\s?(?:%|procent(?![\wåäö]))"
            rf"|(?<![\wåäö])(?P<w>{words})\s?procent(?![\wåäö])"
            rf"|(?<![\wåäö])(?P<f>{parts})(?![\wåäö])",
            re.IGNORECASE)

    def find(self, text: str) -> list[Percent]:
        if not self._needed.search(text):
            return []
        out = []
        for match in self._pattern.finditer(text):
            if match["n"]:
                value, written = float(match["n"].replace(",", ".")), "digits"
            elif match["w"]:
                value, written = float(self._words[match["w"].lower()]), "words"
            else:
                value, written = self._fractions[match["f"].lower()], "fraction"
            if 0 < value <= 100:
                out.append(Percent(value, match.start(), match.end(), written))
        return out


@dataclass(frozen=True)
class DateToken:
    """A written date, month, year or season: the first and last day it can mean (None for a season)."""

    first: date | None
    last: date | None
    start: int
    end: int
    precision: str  # "day" | "month" | "year" | "season"


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


class DateFinder:
    """Dates in every form Swedish texts use: 2025-02-03, 2025.04.01, 20250815, 1/9 2025, 3 februari 2025,
    'mars 2026', '2026', and seasons or terms ('hösten 2025', 'vt 2026'), which have no exact day."""

    def __init__(self, seasons: tuple[str, ...] = SEASONS) -> None:
        season = "|".join(re.escape(s) for s in sorted(seasons, key=len, reverse=True)) or "(?!)"
        self._needed = re.compile(r"20\d\d")  # every form names its year
        self._pattern = re.compile(
            rf"(?<![\wåäö])(?P<rm1>{_MONTH})\.?\s?[{DASHES}]\s?(?P<rm2>{_MONTH})\.?\s(?P<ry>20\d\d)(?!\d)"
            rf"|(?<![\d])(?P<iy>20\d\d)[-./](?P<im>[01]?\d)[-./](?P<id>[0-3]?\d)(?!\d)"
            rf"|(?<![\d])(?P<cy>20\d\d)(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?!\d)"
            rf"|(?<![\d/])(?P<sd>[0-3]?\d)/(?P<sm>[01]?\d)[ -](?P<sy>20\d\d)(?!\d)"
            rf"|(?<![\d])(?P<dd>[0-3]?\d)(?::e|:a)?\s(?P<dm>{_MONTH})\.?\s(?P<dy>20\d\d)(?!\d)"
            rf"|(?<![\wåäö])(?P<mm>{_MONTH})\.?\s(?P<my>20\d\d)(?!\d)"
            rf"|(?<![\wåäö])(?P<season>{season})\s(?P<ssy>20\d\d)(?:/\d\d)?(?!\d)"
            rf"|(?<![\d/.])(?P<year>20\d\d)(?![\d]|-\d\d-|\.\d\d\.)",
            re.IGNORECASE)

    def find(self, text: str) -> list[DateToken]:
        if not self._needed.search(text):
            return []
        out = []
        for match in self._pattern.finditer(text):
            if match["rm1"]:  # "januari–juni 2026": two months of one year
                out += _month_range(match)
                continue
            try:
                first, last, precision = _interpret(match)
            except (ValueError, KeyError):  # 2025-02-30 and the like: not a date
                continue
            out.append(DateToken(first, last, match.start(), match.end(), precision))
        return out


def _month_range(match: re.Match[str]) -> list[DateToken]:
    year = int(match["ry"])
    first = _month_span(year, MONTHS[match["rm1"].lower()])
    last = _month_span(year, MONTHS[match["rm2"].lower()])
    return [DateToken(first[0], first[1], match.start("rm1"), match.end("rm1"), "month"),
            DateToken(last[0], last[1], match.start("rm2"), match.end("ry"), "month")]


def _interpret(match: re.Match[str]) -> tuple[date | None, date | None, str]:
    if match["iy"]:
        day = date(int(match["iy"]), int(match["im"]), int(match["id"]))
        return day, day, "day"
    if match["cy"]:
        day = date(int(match["cy"]), int(match["cm"]), int(match["cd"]))
        return day, day, "day"
    if match["sy"]:
        day = date(int(match["sy"]), int(match["sm"]), int(match["sd"]))
        return day, day, "day"
    if match["dy"]:
        day = date(int(match["dy"]), MONTHS[match["dm"].lower()], int(match["dd"]))
        return day, day, "day"
    if match["my"]:
        first, last = _month_span(int(match["my"]), MONTHS[match["mm"].lower()])
        return first, last, "month"
    if match["ssy"]:
        return None, None, "season"
    year = int(match["year"])
    return date(year, 1, 1), date(year, 12, 31), "year"


_DURATION = re.compile(r"(?<![\wåäö])(?P<n>\d{1,3}|(?P<w>[a-zåäö]+))\s(?P<unit>månader|månad|år)(?![\wåäö])",
                       re.IGNORECASE)


def durations(text: str, number_words: dict[str, int] = NUMBER_WORDS) -> list[tuple[int, int, int]]:
    """(months, start, end) for "36 månader", "fyra år", "18 månader" in the text."""
    out = []
    words = {w.lower(): v for w, v in number_words.items()}
    for match in _DURATION.finditer(text):
        if match["w"]:
            if match["w"].lower() not in words:
                continue
            n = words[match["w"].lower()]
        else:
            n = int(match["n"])
        months = n * 12 if match["unit"].lower() == "år" else n
        if 1 <= months <= 120:
            out.append((months, match.start(), match.end()))
    return out


def add_months_minus_a_day(start: date, months: int) -> date:
    """The last day of a period of `months` months that starts on `start` (36 months from 1 March → 28 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)
