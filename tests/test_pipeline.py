"""The core: the seed decision, as text and as a PDF, end to end with the default model."""

from __future__ import annotations

import io
import sys

import pytest

from tests.conftest import SEED

HEADINGS = {
    "Förslag till beslut",
    "Sammanfattning",
    "Bedömning",
    "Konsekvenser för miljö-, barn- och jämställdhetsperspektiven",
    "Uppföljning",
    "Ekonomiska konsekvenser",
    "Beslutsunderlag",
}


def seed_as_pdf() -> bytes:
    """The seed laid out as a decision PDF: bold headings, one text line per source line, two pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in (raw.strip() for raw in SEED.read_text(encoding="utf-8").splitlines()):
        if not line:
            continue
        if y < 60:
            pdf.showPage()
            y = 800
        heading = line in HEADINGS
        pdf.setFont("Helvetica-Bold" if heading else "Helvetica", 12 if heading else 9)
        pdf.drawString(50, y, line)
        y -= 18 if heading else 15
    pdf.save()
    return buffer.getvalue()


def summary(result):
    return ({a.framework: a.item for a in result.alignments if a.rank == 1},
            {p.id: p.status for p in result.perspectives},
            (result.facts.amount_sek, result.facts.share_percent, result.facts.period.start, result.facts.period.end),
            sorted(f.rule for f in result.findings))


@pytest.mark.parametrize("form", ["text", "pdf"])
def test_the_seed_decision(static_analyzer, form):
    from datetime import date

    source = (static_analyzer.read_path(SEED) if form == "text"
              else static_analyzer.read_upload(seed_as_pdf(), "beslut.pdf"))
    result = static_analyzer.analyze(source)
    top, perspectives, facts, findings = summary(result)
    assert top == {"orebro-rus-2022-2030": "naringsliv-och-entreprenorskap",
                   "nationell-strategi-2021-2030": "innovation-och-entreprenorskap",
                   "orebro-anslag-1-1": "naringsliv-langsiktigt-hallbart"}
    assert (perspectives["jamstalldhet"], perspectives["miljo"], perspectives["barn"]) == ("present", "thin", "thin")
    assert facts == (1_493_000, 50.0, date(2025, 2, 3), date(2027, 12, 31))
    assert "share-above-limit" not in findings
    ids = [s.id for s in result.document.sections]
    assert [i for i in ids if i not in (None, "titel")] == ["forslag-till-beslut", "sammanfattning", "bedomning", "perspektiv", "uppfoljning",
            "ekonomiska-konsekvenser", "beslutsunderlag"]


def test_every_result_names_its_versions(analyzer):
    result = analyzer.analyze(analyzer.read_text("Syftet är att fler små företag i länet ska växa."))
    assert result.versions.corpus == analyzer.corpus.version and "+" in result.versions.corpus
    assert set(result.versions.models) == {"embedder", "calibrator", "fact_ranker", "supervised"}
    assert result.versions.region == "orebro"


def test_warm_up_pays_first_use_costs_before_traffic(analyzer):
    """After warm_up a fresh analyzer has compiled every framework's terms (the one term index may do it at
    construction already) and the first real analysis imports nothing more."""
    from analysis.pipeline import Analyzer

    fresh = Analyzer.create(analyzer.settings, corpus=analyzer.corpus, embedder=analyzer.embedder,
                            calibrator=analyzer.calibrator, fact_ranker=analyzer.fact_ranker,
                            supervised=analyzer.supervised_model)
    fresh.warm_up()
    assert {f.id for f in fresh.frameworks(None)} <= set(fresh.lexical._compiled)
    modules = set(sys.modules)
    fresh.analyze(fresh.read_text("Syfte\nFler små företag i länet ska exportera.\n\nBudget\n"
                                  "Vi söker 400 000 kronor, 40 procent av kostnaderna, 2025-01-01 – 2026-12-31."))
    assert set(sys.modules) - modules == set()


def test_package_metadata_is_read_once_not_per_analysis():
    from analysis.pipeline import software_version

    software_version()
    hits = software_version.cache_info().hits
    software_version()
    assert software_version.cache_info().hits == hits + 1


def test_warm_up_loads_the_language_identifier_that_clearly_swedish_texts_skip():
    from analysis.ingest.language import _identifier
    from analysis.pipeline import Analyzer
    from analysis.settings import Settings

    _identifier.cache_clear()
    Analyzer.create(Settings(embedder="fake")).warm_up()
    assert _identifier.cache_info().currsize == 1
