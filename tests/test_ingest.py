"""Ingest: every format, normalisation, and every kind of bad input."""

from __future__ import annotations

import pytest

from analysis import ingest
from analysis.errors import (
    EmptyDocumentError,
    LanguageNotSupportedError,
    UnreadableDocumentError,
    UnsupportedMediaTypeError,
)
from analysis.ingest.normalise import normalise
from analysis.nlp import is_swedish_word
from tests.conftest import SEED, make_docx, make_pdf

SWEDISH = "Projektet ska stärka små företag i länet genom rådgivning och utbildning för de anställda."


class TestText:
    def test_utf8_with_bom(self):
        source = ingest.read_upload(("\ufeff" + SWEDISH).encode("utf-8"), "a.txt")
        assert source.text == SWEDISH
        assert source.language == "sv"

    def test_cp1252_fallback(self):
        source = ingest.read_upload(SWEDISH.encode("cp1252"), "a.txt")
        assert "små företag" in source.text

    def test_nfd_and_special_spaces_are_folded(self):
        text = "Fo\u0308retag\u00a0och\u2009ja\u0308mställdhet, 1\u202f493\u00a0000 kronor."
        assert normalise(text) == "Företag och jämställdhet, 1 493 000 kronor."

    def test_soft_hyphen_and_zero_width_removed(self):
        assert normalise("jäm\u00adställd\u200bhet") == "jämställdhet"


class TestHardWrapRepair:
    def test_seed_wraps_are_joined_and_hyphen_kept_in_name(self):
        text = ingest.read_path(SEED, is_word=is_swedish_word).text
        assert "dock högst 1 493 000 kronor för genomförande av projekt Tech-kluster Örebro län." in text
        assert "Tech-\n" not in text

    def test_line_break_hyphen_joins_a_swedish_word(self):
        wrapped = ("Projektet ska pröva en ny modell för det praktiska genom-\n"
                   "förande som krävs när företagen inför ny teknik i produktionen nu.")
        assert "genomförande" in normalise(wrapped, is_word=is_swedish_word)

    def test_hyphen_kept_when_the_text_writes_the_word_with_one(self):
        text = "Tech-kluster Örebro län växer.\n\nVi bygger ett starkt Tech-\nkluster i länet tillsammans."
        assert "ett starkt Tech-kluster i länet" in normalise(text, is_word=is_swedish_word)

    def test_suspended_compound_at_line_end_keeps_its_hyphen(self):
        text = "Hur beaktas miljö-\noch klimatperspektivet i projektets genomförande och uppföljning?"
        assert "miljö- och klimatperspektivet" in normalise(text)

    def test_lowercase_continuation_joined_but_headings_and_bullets_kept(self):
        text = "Sammanfattning\nProjektet ska hjälpa företag att\nväxa i hela länet.\n• Första punkten\n• Andra punkten"
        out = normalise(text, keep_line=lambda line: line == "Sammanfattning")
        assert out.splitlines() == ["Sammanfattning", "Projektet ska hjälpa företag att växa i hela länet.",
                                    "• Första punkten", "• Andra punkten"]


class TestPdf:
    def test_text_and_bold_headings(self):
        data = make_pdf(
            [
                ("Bakgrund", "Helvetica-Bold", 14),
                (SWEDISH, "Helvetica", 10),
                ("Syfte", "Helvetica-Bold", 14),
                ("Syftet är att fler små företag ska växa.", "Helvetica", 10),
            ]
        )
        source = ingest.read_upload(data, "ansokan.pdf")
        assert source.format == "pdf"
        assert "små företag" in source.text
        assert {"Bakgrund", "Syfte"} <= source.heading_hints

    def test_not_a_pdf(self):
        with pytest.raises(UnreadableDocumentError, match="not a PDF"):
            ingest.read_upload(b"hello, I am text", "fake.pdf")

    def test_encrypted_pdf(self):
        data = make_pdf([(SWEDISH, "Helvetica", 10)], encrypt="hemligt")
        with pytest.raises(UnreadableDocumentError, match="encrypted"):
            ingest.read_upload(data, "locked.pdf")

    def test_corrupt_pdf(self):
        data = make_pdf([(SWEDISH, "Helvetica", 10)])
        with pytest.raises(UnreadableDocumentError):
            ingest.read_upload(data[: len(data) // 3], "broken.pdf")


class TestDocx:
    def test_heading_styles_and_form_table(self):
        data = make_docx([("Heading 1", "Bakgrund"), ("Normal", SWEDISH)],
                         table=[("Hur beaktas jämställdhet?", "Vi följer upp deltagandet uppdelat på kvinnor och män.")])
        source = ingest.read_upload(data, "ansokan.docx")
        assert source.format == "docx"
        assert "Bakgrund" in source.heading_hints
        assert "Hur beaktas jämställdhet?" in source.heading_hints
        assert "uppdelat på kvinnor och män" in source.text

    def test_not_a_zip(self):
        with pytest.raises(UnreadableDocumentError, match="not a DOCX"):
            ingest.read_upload(b"PK? no, just text", "fake.docx")


class TestBadInput:
    def test_empty_file(self):
        with pytest.raises(EmptyDocumentError):
            ingest.read_upload(b"   \n ", "empty.txt")

    def test_binary_junk(self):
        with pytest.raises(UnreadableDocumentError, match="binary"):
            ingest.read_upload(bytes(range(256)) * 8, "junk.txt")

    def test_unsupported_type(self):
        with pytest.raises(UnsupportedMediaTypeError):
            ingest.read_upload(b"x", "image.png")

    def test_missing_file_names_the_path(self, tmp_path):
        with pytest.raises(UnreadableDocumentError) as caught:
            ingest.read_path(tmp_path / "nope.txt")
        assert "nope.txt" in str(caught.value)

    def test_punctuation_only(self):
        with pytest.raises(EmptyDocumentError):
            ingest.from_text("... --- !!!")

    def test_other_language_is_refused_by_the_analyser(self, analyzer):
        english = ("The project will strengthen small companies in the county through advice and training "
                   "for their employees, and it will follow up the results every quarter.")
        with pytest.raises(LanguageNotSupportedError):
            analyzer.prepare(analyzer.read_text(english, source="english.txt"))

    def test_form_fields_become_sections(self, analyzer):
        source = analyzer.read_fields({"Syfte": "Att fler små företag ska växa.", "Tom": "  "}, title="Exportlyft")
        assert source.text == "Exportlyft\n\nSyfte\nAtt fler små företag ska växa."
        document = analyzer.prepare(source)
        assert [s.id for s in document.sections] == ["titel", "syfte"]

    def test_all_fields_empty(self, analyzer):
        with pytest.raises(EmptyDocumentError):
            analyzer.read_fields({"Syfte": ""})


def test_a_value_line_starting_with_a_digit_is_not_joined_to_its_heading(analyzer):
    source = analyzer.read_text("Projekttid\n36 månader från 1 mars 2026\n\nSyfte\nFler företag ska exportera.")
    assert source.text.startswith("Projekttid\n36 månader")
    facts = analyzer.analyze(source).facts
    assert (str(facts.period.start), str(facts.period.end)) == ("2026-03-01", "2029-02-28")
