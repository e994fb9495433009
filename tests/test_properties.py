"""Properties that must hold for any text, checked on generated Swedish (hypothesis).

The phrasings are built from parts (funders, verbs, amounts, dates, measures), not copied from
the labelled sets; the properties are invariances, so they do not depend on the ranker being right.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings, strategies as st

REGIONS = ["Region Örebro län", "Region Gävleborg", "Region Värmland", "Region Dalarna", "Region Kalmar län",
           "Region Jämtland Härjedalen", "Regionen"]
EU_FUNDS = ["Europeiska regionala utvecklingsfonden", "Regionalfonden", "ESF+", "Interreg Aurora",
            "EU:s socialfond", "Leader Mellansjö"]
RUNS = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

kronor = st.integers(min_value=2, max_value=900).map(lambda k: k * 10_000)


def spelled(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kronor"


@RUNS
@given(region_a=st.sampled_from(REGIONS), region_b=st.sampled_from(REGIONS), amount=kronor,
       share=st.integers(min_value=5, max_value=60),
       verb=st.sampled_from(["medfinansierar projektet med", "beviljar", "bidrar med", "ger projektet"]))
def test_the_amount_does_not_depend_on_the_region_named(analyzer, region_a, region_b, amount, share, verb):
    text = ("Syfte\nProjektet ska hjälpa små företag att exportera.\n\nFinansiering\n"
            "{region} {verb} {amount}, vilket är {share} procent av kostnaderna.")
    facts = [analyzer.analyze(analyzer.read_text(text.format(region=region, verb=verb, amount=spelled(amount),
                                                              share=share))).facts for region in (region_a, region_b)]
    assert facts[0].amount_sek == facts[1].amount_sek
    assert facts[0].share_percent == facts[1].share_percent


@RUNS
@given(fund=st.sampled_from(EU_FUNDS), eu=kronor, region=st.sampled_from(REGIONS), own=kronor,
       order=st.booleans())
def test_eu_money_is_never_the_regions_amount(analyzer, fund, eu, region, own, order):
    eu_sentence = f"{fund} finansierar projektet med {spelled(eu)}."
    own_sentence = f"{region} bidrar med {spelled(own)}."
    body = " ".join([eu_sentence, own_sentence] if order else [own_sentence, eu_sentence])
    facts = analyzer.analyze(
        analyzer.read_text(f"Budget\nProjektets totala budget är {spelled(eu + own)}. {body}")
    ).facts
    if eu != own:
        assert facts.amount_sek != eu


@RUNS
@given(fund=st.sampled_from(EU_FUNDS), eu=kronor)
def test_eu_money_alone_gives_no_regional_amount(analyzer, fund, eu):
    facts = analyzer.analyze(analyzer.read_text(
        f"Projektet har beviljats {spelled(eu)} från {fund} för att utveckla besöksnäringen.")).facts
    assert facts.amount_sek != eu


@RUNS
@given(day=st.dates(min_value=date(2020, 1, 1), max_value=date(2029, 12, 31)),
       start=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
       months=st.integers(min_value=6, max_value=48),
       where=st.sampled_from(["Beslut fattades", "Ansökan inkom", "Slutrapport ska lämnas senast",
                              "Protokollet justerades"]))
def test_a_decision_or_report_date_is_never_the_period(analyzer, day, start, months, where):
    end_year, end_month = start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1
    end = date(end_year, end_month, 1)
    text = (f"{where} {day.isoformat()}.\n\nTidsplan\nProjektet genomförs från {start.isoformat()} "
            f"till {end.isoformat()}.")
    period = analyzer.analyze(analyzer.read_text(text)).facts.period
    if day not in (start, end):
        assert day not in (period.start, period.end)


ORDER = {"absent": 0, "thin": 1, "present": 2}
MEASURES = [
    "Projektledaren ansvarar för att andelen kvinnor följs upp varje kvartal med könsuppdelad statistik.",
    "Vi ska därför genomföra workshops för barn i årskurs 5 och följa upp deras synpunkter i en enkät.",
    "Utsläppen av koldioxid mäts före och efter, och energisamordnaren ansvarar för uppföljningen.",
    "Genom att erbjuda utbildning till 40 deltagare, varav minst hälften kvinnor, ökar vi jämställdheten.",
]
BASES = [
    "Syfte\nProjektet ska stärka företagen i länet.",
    "Syfte\nProjektet ska stärka företagen i länet.\n\nMiljö\nProjektet bedöms inte påverka miljön.",
    "Syfte\nFler unga ska välja teknik.\n\nJämställdhet\nProjektet är öppet för alla.",
    "Syfte\nEtt nytt besöksmål.\n\nBarn\nProjektet berör inte barn.",
]


@RUNS
@given(base=st.sampled_from(BASES), measure=st.sampled_from(MEASURES))
def test_adding_a_concrete_measure_never_lowers_a_perspective(analyzer, base, measure):
    before = {p.id: p.status for p in analyzer.analyze(analyzer.read_text(base)).perspectives}
    after = {p.id: p.status for p in analyzer.analyze(analyzer.read_text(f"{base} {measure}")).perspectives}
    for perspective, status in before.items():
        assert ORDER[after[perspective]] >= ORDER[status], (perspective, status, after[perspective])
