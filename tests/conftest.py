"""Shared fixtures: tiny documents made on the fly, one analyzer per session (fake embedder)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The service opens its case store at start-up: tests get a throwaway data folder, never the checkout's.
os.environ.setdefault("POLICYALIGN_DATA_DIR", tempfile.mkdtemp(prefix="policyalign-test-data-"))

TESTS = Path(__file__).parent
DATA = TESTS / "data"
DEVSET = DATA / "devset"
ROOT = TESTS.parent
SEED = ROOT / "examples" / "medfinansiering-tech-kluster-orebro-lan.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow (real e5 model, long runs)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: opt in with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def settings():
    from analysis.settings import Settings

    return Settings(embedder="fake")


@pytest.fixture(scope="session")
def corpus(settings):
    from analysis.corpus import load_corpus

    return load_corpus(settings.corpus_dir)


@pytest.fixture(scope="session")
def analyzer(settings):
    """The real pipeline and corpus with the fake embedder: fast and deterministic."""
    from analysis.pipeline import Analyzer

    return Analyzer.create(settings)


@pytest.fixture(scope="session")
def static_analyzer():
    """The real pipeline with the shipped static-sv model (loads in about a second)."""
    from analysis.pipeline import Analyzer
    from analysis.settings import Settings

    return Analyzer.create(Settings(embedder="static-sv"))


@pytest.fixture()
def analyze_text(analyzer):
    def run(text: str, **kwargs):
        return analyzer.analyze(analyzer.read_text(text), **kwargs)

    return run


@pytest.fixture()
def prepare_text(analyzer):
    def run(text: str):
        return analyzer.prepare(analyzer.read_text(text))

    return run


def make_pdf(lines: list[tuple[str, str, int]], encrypt: str | None = None) -> bytes:
    """A small PDF: (text, font, size) per line, e.g. ("Bakgrund", "Helvetica-Bold", 14)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    y = 800
    for text, font, size in lines:
        pdf.setFont(font, size)
        pdf.drawString(60, y, text)
        y -= size + 8
    pdf.save()
    return buffer.getvalue()


def make_docx(blocks: list[tuple[str, str]], table: list[tuple[str, str]] | None = None) -> bytes:
    """A small DOCX: (style, text) paragraphs, optionally a two-column table of label → answer."""
    import docx

    document = docx.Document()
    for style, text in blocks:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=0, cols=2)
        for label, answer in table:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = label, answer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
