"""Sections: headings mapped to canonical ids for decisions, applications, forms and prose."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DEVSET, SEED


def section_ids(analyzer, path):
    document = analyzer.prepare(analyzer.read_path(path))
    return document, [(s.id, s.perspectives) for s in document.sections]


def test_seed_sections(analyzer):
    document, ids = section_ids(analyzer, SEED)
    assert document.kind == "decision"
    expected = ["titel", "forslag-till-beslut", "sammanfattning", "bedomning", "perspektiv", "uppfoljning",
                "ekonomiska-konsekvenser", "beslutsunderlag"]
    assert [i for i, _ in ids][: len(expected)] == expected
    assert dict(ids)["perspektiv"] == ("miljo", "barn", "jamstalldhet")
    heading = next(s for s in document.sections if s.id == "bedomning")
    assert document.text[heading.start :].startswith("Projektet genomförs enligt den regionala")


LABELS = {json.loads(line)["id"]: json.loads(line) for line in (DEVSET / "labels.jsonl").read_text().splitlines()}


@pytest.mark.parametrize("doc_id", sorted(LABELS))
def test_devset_kind_and_perspective_headings(analyzer, doc_id):
    """Every devset text gets its kind right, and perspective headings name the right perspectives."""
    document, ids = section_ids(analyzer, DEVSET / f"{doc_id}.txt")
    assert document.kind == LABELS[doc_id]["kind"]
    named = {p for _, perspectives in ids for p in perspectives}
    if LABELS[doc_id]["kind"] == "decision":
        assert named == {"miljo", "barn", "jamstalldhet"}
    if LABELS[doc_id]["kind"] == "summary":
        assert {i for i, _ in ids} <= {"titel", None}


@pytest.mark.parametrize(("doc_id", "expected"), [
    ("d02", {"sammanfattning", "bakgrund", "syfte", "mal", "malgrupp", "aktiviteter", "organisation",
             "finansiering", "koppling-rus", "perspektiv", "uppfoljning", "tidsplan"}),
    ("d06", {"bakgrund", "syfte", "mal", "malgrupp", "aktiviteter", "koppling-rus", "perspektiv", "uppfoljning",
             "tidsplan", "finansiering", "budget"}),
    ("d14", {"bakgrund", "syfte", "mal", "aktiviteter", "organisation", "finansiering", "koppling-rus", "uppfoljning"}),
])
def test_devset_application_and_form_headings(analyzer, doc_id, expected):
    _, ids = section_ids(analyzer, DEVSET / f"{doc_id}.txt")
    assert expected <= {i for i, _ in ids}


@pytest.mark.parametrize(("heading", "section", "perspectives"), [
    ("Bakgrund och problembild", "bakgrund", ()),
    ("Syfte och mål", "syfte", ()),
    ("Förslag till beslut", "forslag-till-beslut", ()),
    ("Budget och finansiering", "finansiering", ()),
    ("Projektmål", "mal", ()),
    ("Målgrupp", "malgrupp", ()),
    ("3. Tidsplan", "tidsplan", ()),
    ("Horisontella perspektiv", "perspektiv", ()),
    ("Hur beaktas miljö- och klimatperspektivet?", "perspektiv", ("miljo",)),
    ("Konsekvenser för miljö-, barn- och jämställdhetsperspektiven", "perspektiv", ("miljo", "barn", "jamstalldhet")),
    ("Arbetsmiljö", None, ()),
    ("Kaffepaus", None, ()),
])
def test_heading_lexicon(analyzer, heading, section, perspectives):
    match = analyzer.mapper.map(heading)
    assert (match.id, match.perspectives) == (section, perspectives)


def test_prose_without_headings_is_one_section(prepare_text):
    document = prepare_text("Projektet ska hjälpa små företag att växa. Det pågår under 2026 och leds av Almi.")
    assert [(s.id, s.heading) for s in document.sections] == [(None, None)]
    assert document.kind == "summary"


def test_intake_form_questions(prepare_text):
    document = prepare_text(
        "Beskriv projektets syfte:\nAtt fler unga ska studera vidare.\n\n"
        "Hur beaktas jämställdhet?\nVi följer upp deltagandet uppdelat på kvinnor och män.\n\n"
        "Projektperiod: 2026-01-01 – 2026-12-31\n\nSökt belopp: 400 000 kr")
    assert [s.id for s in document.sections] == ["syfte", "perspektiv", "tidsplan", "finansiering"]
    assert document.kind == "form"
