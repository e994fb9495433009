"""Facts: amount, share and period in every format the issue lists, and the right amount among many."""

from __future__ import annotations

import itertools
from datetime import date

import pytest



@pytest.fixture()
def facts_of(analyzer, prepare_text):
    return lambda text: analyzer.facts.extract(prepare_text(text))


@pytest.mark.parametrize(("phrase", "expected"), [
    ("1 493 000 kronor", 1_493_000),
    ("1,5 miljoner kronor", 1_500_000),
    ("2,4 mnkr", 2_400_000),
    ("850 tkr", 850_000),
    ("850 000 kr", 850_000),
    ("1493000 SEK", 1_493_000),
])
def test_amount_formats(facts_of, phrase, expected):
    facts = facts_of(f"Vi ansöker om {phrase} från Region Örebro län för projektet.")
    assert facts.amount_sek == expected
    assert facts.amount_role == "requested"


def test_granted_amount_in_a_decision(facts_of):
    facts = facts_of(
        "att Nora kommun beviljas 50 procent av projektets bokförda kostnader, dock högst 1 150 000 kronor.\n\n"
        "Projektets totala budget är 2 300 000 kronor. Kommunerna finansierar resterande 1 150 000 kronor."
    )
    assert (facts.amount_sek, facts.amount_role, facts.share_percent) == (1_150_000, "granted", 50.0)


def test_regional_share_not_total_or_eu_share(facts_of):
    facts = facts_of("Projektets totala budget är 15,5 miljoner kronor, varav Regionalfonden finansierar 40 procent. "
                     "Region Örebro län föreslås bidra med 3,1 miljoner kronor, vilket motsvarar 20 procent av den totala budgeten.")
    assert (facts.amount_sek, facts.share_percent) == (3_100_000, 20.0)


def test_other_funder_amount_is_not_taken(facts_of):
    facts = facts_of("Projektet har beviljats stöd från Europeiska socialfonden med 2 500 000 kronor. "
                     "Vi ansöker om 850 000 kronor från Region Örebro län, vilket motsvarar 17 procent av budgeten.")
    assert (facts.amount_sek, facts.share_percent) == (850_000, 17.0)


@pytest.mark.parametrize(("phrase", "expected"), [("50 procent", 50.0), ("40 %", 40.0), ("hälften", 50.0)])
def test_share_formats(facts_of, phrase, expected):
    facts = facts_of(f"Vi söker {phrase} av projektets kostnader från Region Örebro län.")
    assert facts.share_percent == expected


def test_share_of_participants_is_not_a_cost_share(facts_of):
    assert facts_of("Minst hälften av deltagarna ska vara kvinnor. Minst 60 procent går vidare till arbete.").share_percent is None


@pytest.mark.parametrize(("text", "start", "end"), [
    ("att projektet får påbörjas tidigast 2025-02-03 och avslutas senast 2027-12-31, samt", date(2025, 2, 3), date(2027, 12, 31)),
    ("Projektperiod: från och med 1 mars 2025 till och med den 28 februari 2027", date(2025, 3, 1), date(2027, 2, 28)),
    ("Projektet genomförs under 2026–2028.", date(2026, 1, 1), date(2028, 12, 31)),
    ("Projektperiod: augusti 2025 – juni 2026", date(2025, 8, 1), date(2026, 6, 30)),
    ("Projektet startar 3 februari 2025 och pågår till 30 juni 2026.", date(2025, 2, 3), date(2026, 6, 30)),
])
def test_period_formats(facts_of, text, start, end):
    period = facts_of(text).period
    assert (period.start, period.end) == (start, end)


def test_dates_outside_a_period_sentence_are_ignored(facts_of):
    facts = facts_of("Nämnden fattade beslut om inriktning 2024-02-09. Föredragnings-PM 2025-05-19.")
    assert facts.period.start is None and facts.period.end is None


def test_nothing_stated(facts_of):
    facts = facts_of("Budgeten redovisas i en bilaga som tas fram senare.")
    assert (facts.amount_sek, facts.share_percent) == (None, None)


def test_evidence_spans_point_into_the_text(analyzer, prepare_text):
    document = prepare_text("Vi ansöker om 2,4 miljoner kronor från Region Örebro län, vilket motsvarar 40 % av budgeten.")
    facts = analyzer.facts.extract(document)
    assert facts.evidence and facts.candidates
    for evidence in [*facts.evidence, *(c.evidence for c in facts.candidates)]:
        assert document.text[evidence.start : evidence.end] == evidence.text
    for candidate in facts.candidates:
        assert candidate.mention in candidate.evidence.text


@pytest.mark.parametrize(("text", "expected"), [
    ("Sökt belopp från Region Örebro län: 500 000:-", 500_000),
    ("Regionen beviljas ansökan om SEK 750 000 för projektet.", 750_000),
    ("Vi söker 40 procent av kostnaderna från Region Örebro län, totalt 800 000 kr.", 800_000),
])
def test_other_amount_spellings(facts_of, text, expected):
    assert facts_of(text).amount_sek == expected


def test_the_total_budget_is_not_the_regions_amount(facts_of):
    facts = facts_of("Region Örebro län bidrar med 45 % av den totala budgeten på 2 000 000 kr.")
    assert (facts.amount_sek, facts.share_percent) == (None, 45.0)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Projektet pågår 2026-03-01 till 2028-02-29.", date(2026, 3, 1), date(2028, 2, 29)),
    ("Projektet genomförs från januari 2026 till juni 2027.", date(2026, 1, 1), date(2027, 6, 30)),
])
def test_more_period_spellings(facts_of, text, start, end):
    period = facts_of(text).period
    assert (period.start, period.end) == (start, end)


THIRD_REGION = "Region Gävleborg medfinansierar projektet med 500 000 kronor, vilket är 30 procent av kostnaderna."


def test_a_region_the_corpus_does_not_know_still_gets_its_facts(analyze_text):
    result = analyze_text(THIRD_REGION)
    assert (result.facts.amount_sek, result.facts.share_percent) == (500_000, 30.0)
    assert "budget-missing" not in {f.rule for f in result.findings}


def test_a_new_region_added_as_data_needs_no_code(tmp_path, settings):
    """A third region is one manifest entry (and its framework): facts come out with no code change."""
    import shutil

    import yaml

    from analysis.corpus import load_corpus
    from analysis.pipeline import Analyzer

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(settings.corpus_dir, corpus_dir)
    manifest = yaml.safe_load((corpus_dir / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["regions"].append({"id": "gavleborg", "name": "Region Gävleborg", "status": "demonstration",
                                "frameworks": ["nationell-strategi-2021-2030"]})
    (corpus_dir / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    analyzer = Analyzer.create(settings.model_copy(update={"corpus_dir": corpus_dir}),
                               corpus=load_corpus(corpus_dir))
    text = "Regionen stöder projektet. Gävleborgs bidrag: Region Gävleborg beviljar 640 000 kronor till projektet."
    facts = analyzer.analyze(analyzer.read_text(text), region="gavleborg").facts
    assert facts.amount_sek == 640_000 and facts.amount_role == "granted"


@pytest.mark.parametrize("unit", ["123 ", "1 ", "2025 ", "1.000.", "7", "12,5 % ", "3 mars 2026 – "])
def test_number_scanning_is_linear(unit):
    """Hostile runs of digit groups, dates and shares: ten times the input costs about ten times the time."""
    import time

    from analysis.facts.numbers import DateFinder, MoneyFinder, PercentFinder

    finders = (MoneyFinder(), PercentFinder(), DateFinder())

    def cost(n: int) -> float:
        text = unit * n
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for finder in finders:
                finder.find(text)
            best = min(best, time.perf_counter() - start)
        return best

    assert cost(8000) < 30 * max(cost(800), 1e-4)  # quadratic would be ~100×


def test_the_fact_extractor_passes_its_contract(analyzer):
    """As the matchers' contract: candidates report only the features the ranker reads (a misspelt or
    undeclared one would weigh nothing, silently), probabilities in [0, 1] best first, quoted spans, the
    same answer twice, and an empty document gives empty facts."""
    from analysis.document import Document
    from analysis.facts.candidates import FACT_KINDS
    from analysis.result import Facts
    from tests.conftest import DEVSET, SEED

    extractor = analyzer.facts
    for path in [SEED, *sorted(DEVSET.glob("*.txt"))[:6]]:
        document = analyzer.prepare(analyzer.read_path(path))
        scored = extractor.scored(document)
        assert list(scored) == list(FACT_KINDS)
        for fact, candidates in scored.items():
            declared = set(extractor.generator.feature_names[fact])
            probabilities = [p for p, _ in candidates]
            assert probabilities == sorted(probabilities, reverse=True)
            assert all(0.0 <= p <= 1.0 for p in probabilities)
            for _, candidate in candidates:
                assert candidate.fact == fact and set(candidate.features) <= declared, (path.name, fact)
                assert 0 <= candidate.start < candidate.end <= len(document.text)
        assert extractor.extract(document) == extractor.extract(document)
    empty = Document(id="empty", source=None, text="", language="sv", kind="summary", sections=[], sentences=[])
    assert extractor.extract(empty) == Facts()


@pytest.mark.parametrize("kind", ["money", "percent", "date"])
def test_a_finder_skips_only_texts_it_cannot_match(kind):
    """The cheap pre-test (a digit, a year, 'milj', …) must hold wherever the full pattern matches."""
    from analysis.facts.numbers import DateFinder, MoneyFinder, PercentFinder

    finder = {"money": MoneyFinder, "percent": PercentFinder, "date": DateFinder}[kind]()
    words = ["2025", "1 500", "mars", "hösten", "tre", "miljoner", "Miljard", "kr", "procent", "%", "hälften",
             "en tredjedel", "-", "/"]
    matched = 0
    for n in (1, 2, 3):
        for parts in itertools.product(words, repeat=n):
            for text in (" ".join(parts), "".join(parts)):
                found = finder._pattern.search(text) is not None
                matched += found
                assert finder._needed.search(text) or not found, text
    assert matched > 100
