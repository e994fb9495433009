"""The draft tjänsteskrivelse (DOCX) from a reviewed analysis, in the structure of the seed decision.

Förslag till beslut (att-satser with the reviewed amount, share and period), Sammanfattning, Bedömning
(areas and orientation with their evidence, rule findings), Konsekvenser för miljö-, barn- och
jämställdhetsperspektiven (reviewed statuses and reasons), Uppföljning, Ekonomiska konsekvenser.
Whatever no officer confirmed is followed by "[kontrollera]". Wording lives in data/memo-sv.yaml.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from analysis.corpus.schema import FRAMEWORK_KINDS
from analysis.labels import sv
from analysis.result import AnalysisResult
from analysis.review import PERSPECTIVE_PREFIX, Reviewed, framework_kind, reviewed

WORDING_FILE = Path(__file__).with_name("data") / "memo-sv.yaml"
QUOTE_CHARS = 300
SECTION_CHARS = 1500


@lru_cache(maxsize=1)
def wording() -> dict[str, Any]:
    with WORDING_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass
class MemoInput:
    """What a memo is built from: the result, the officer's decisions, the case and (if kept) the text."""

    result: AnalysisResult
    review: dict[str, dict] = field(default_factory=dict)
    title: str | None = None
    dnr: str | None = None
    applicant: str | None = None
    text: str | None = None

    @classmethod
    def of_stored(cls, analysis, case) -> MemoInput:
        return cls(AnalysisResult.model_validate(analysis.result), dict(analysis.review), case.title, case.dnr,
                   case.applicant, analysis.text)

    @classmethod
    def of_json(cls, data: dict) -> MemoInput:
        """A result (``analyze --format json [--include-text]``) or a stored analysis (GET /v1/analyses/{id})."""
        if "result" in data:
            result = AnalysisResult.model_validate(data["result"])
            review = (data.get("review") or {}).get("decisions", {})
            return cls(result, review, text=data.get("text") or result.document.text)
        result = AnalysisResult.model_validate(data)
        return cls(result, text=result.document.text)


def _check(text: str, confirmed: bool) -> str:
    return text if confirmed else f"{text} {wording()['check']}"


def _amount(value: int | None) -> str:
    return f"{value:,}".replace(",", " ") if value is not None else wording()["missing"]


def _share(value: float | None) -> str:
    if value is None:
        return wording()["missing"]
    return f"{value:g}".replace(".", ",")


def _date(value: str | date | None) -> str:
    return str(value) if value else wording()["missing"]


class MemoWriter:
    """Builds the paragraphs; python-docx does the file."""

    def __init__(self, memo: MemoInput) -> None:
        import docx

        self.memo = memo
        self.words = wording()
        self.view: dict[str, Reviewed] = reviewed(memo.result, memo.review)
        self.document = docx.Document()
        self.quoted: set[str] = set()

    def heading(self, key: str) -> None:
        self.document.add_heading(self.words["headings"][key], level=2)

    def para(self, text: str) -> None:
        self.document.add_paragraph(text)

    def section_text(self, *ids: str) -> str | None:
        """The body of the first section with one of these ids (heading line dropped), if the text is kept."""
        if not self.memo.text:
            return None
        for section_id in ids:
            for section in self.memo.result.document.sections:
                if section.id == section_id:
                    body = self.memo.text[section.start:section.end]
                    body = body.split("\n", 1)[1] if section.heading and "\n" in body else body
                    body = body.strip()
                    if body:
                        return body[:SECTION_CHARS] + ("…" if len(body) > SECTION_CHARS else "")
        return None

    # ---- sections --------------------------------------------------------------------------------
    def title(self) -> None:
        title = self.memo.title or self.memo.result.document.source or self.memo.result.document.id
        self.document.add_heading(self.words["title"].format(title=title), level=1)
        if self.memo.dnr:
            self.para(self.words["dnr"].format(dnr=self.memo.dnr))
        versions = self.memo.result.versions
        self.para(self.words["draft_note"].format(software=versions.software, corpus=versions.corpus))

    def proposal(self) -> None:
        words, view = self.words["proposal"], self.view
        self.heading("proposal")
        self.para(words["intro"])
        amount, share, period = view["amount_sek"], view["share_percent"], view["period"]
        applicant = self.memo.applicant or self.words["applicant_missing"]
        title = self.memo.title or self.memo.result.document.id
        self.para(words["grant"].format(
            applicant=_check(applicant, self.memo.applicant is not None),
            share=_check(_share(share.value), share.confirmed),
            amount=_check(_amount(amount.value), amount.confirmed), title=title))
        self.para(_check(words["financing"], False))
        start, end = (period.value or {}).get("start"), (period.value or {}).get("end")
        self.para(words["period"].format(start=_check(_date(start), period.confirmed),
                                         end=_check(_date(end), period.confirmed)))
        self.para(_check(words["conditions"], False))

    def summary(self) -> None:
        self.heading("summary")
        body = self.section_text("sammanfattning", "syfte", "bakgrund")
        self.para(_check(body or self.words["summary_missing"], False))

    def assessment(self) -> None:
        self.heading("assessment")
        for kind in FRAMEWORK_KINDS:
            if kind in self.view:
                self._area(kind, self.view[kind])
        for finding in self.memo.result.findings:
            self.para(_check(self.words["assessment"]["finding"].format(
                severity=sv("severity", finding.severity).capitalize(), message=finding.message,
                citation=finding.citation), False))

    def _area(self, kind: str, item: Reviewed) -> None:
        words = self.words["assessment"]
        if item.decision == "reject":
            self.para(_check(words["rejected"].format(kind=sv("review_target", kind)), False))
            return
        if item.value is None:
            self.para(_check(words["orientation_none"], item.confirmed))
            return
        alignment = next(a for a in self.memo.result.alignments
                         if a.item == item.value and framework_kind(a.framework) == kind)
        self.para(_check(words[kind].format(name=alignment.name), item.confirmed))
        quote = next((e.text.strip() for e in alignment.evidence if e.text.strip() not in self.quoted), None)
        if quote:  # each evidence sentence quoted once, even when it supports several areas
            self.quoted.add(quote)
            self.para(words["evidence"].format(quote=quote[:QUOTE_CHARS] + ("…" if len(quote) > QUOTE_CHARS else "")))

    def perspectives(self) -> None:
        words = self.words["perspectives"]
        self.heading("perspectives")
        for perspective in self.memo.result.perspectives:
            if not perspective.required:
                continue
            item = self.view[PERSPECTIVE_PREFIX + perspective.id]
            if item.decision == "reject":
                self.para(_check(words["rejected"].format(name=perspective.name), False))
                continue
            status = sv("perspective_status", item.value).capitalize()
            line = words["status"].format(name=perspective.name, status=status)
            reasons = perspective.reasons if item.value == perspective.status else []
            officer = [words["officer"].format(comment=item.comment)] if item.comment else []
            self.para(_check(" ".join([line, *reasons, *officer]), item.confirmed))

    def follow_up(self) -> None:
        self.heading("follow_up")
        self.para(_check(self.section_text("uppfoljning") or self.words["follow_up_missing"], False))

    def economy(self) -> None:
        self.heading("economy")
        amount = self.view["amount_sek"]
        self.para(_check(self.words["economy"].format(amount=_amount(amount.value)), amount.confirmed))

    def build(self) -> bytes:
        for part in (self.title, self.proposal, self.summary, self.assessment, self.perspectives, self.follow_up,
                     self.economy):
            part()
        self.document.core_properties.language = "sv-SE"
        self.document.core_properties.title = self.words["title"].format(title=self.memo.title or "")
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def build_memo(memo: MemoInput) -> bytes:
    """The DOCX bytes of the draft memo."""
    return MemoWriter(memo).build()


def memo_text(data: bytes) -> str:
    """All paragraph text of a memo (for tests and previews)."""
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
