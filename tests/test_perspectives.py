"""Perspectives: each trap (policy_corpus/perspectives.yaml: false friends, weak words, signs of an empty
text) on a small constructed Swedish text."""

from __future__ import annotations

import pytest


@pytest.fixture()
def status_of(analyze_text):
    def run(text: str, perspective: str):
        result = analyze_text(text)
        return next(p for p in result.perspectives if p.id == perspective)

    return run


FILLER = "Projektet ska hjälpa små företag i länet att växa genom rådgivning.\n\n"


def test_absent_when_never_mentioned(status_of):
    out = status_of(FILLER + "Uppföljning sker varje kvartal.", "barn")
    assert out.status == "absent" and out.score == 0


@pytest.mark.parametrize(
    "word", ["arbetsmiljö", "innovationsmiljö", "livsmiljö", "studiemiljö", "utemiljö", "testmiljö"]
)
def test_milieu_words_are_not_the_environment(status_of, word):
    out = status_of(FILLER + f"Företagen får en bättre {word} och vi mäter 20 procent högre nöjdhet.", "miljo")
    assert out.status == "absent"
    assert any(word in reason for reason in out.reasons)


def test_jamlik_is_not_jamstalld(status_of):
    out = status_of(FILLER + "Projektet bidrar till en jämlik tillgång till service i hela länet.", "jamstalldhet")
    assert out.status == "absent"


def test_not_relevant_claim_is_thin(status_of):
    out = status_of(FILLER + "Barnrättsperspektiv\nProjektet berör inte barn.", "barn")
    assert out.status == "thin"
    assert any("inte är relevant" in reason for reason in out.reasons)


def test_no_negative_impact_is_thin(status_of):
    assert status_of(FILLER + "Miljö\nProjektet har ingen negativ miljöpåverkan.", "miljo").status == "thin"


def test_open_to_all_is_thin(status_of):
    assert status_of(FILLER + "Jämställdhet\nKursen är öppen för alla oavsett kön.", "jamstalldhet").status == "thin"


def test_intent_only_is_thin(status_of):
    out = status_of(FILLER + "Jämställdhet\nJämställdhetsperspektivet ska beaktas i projektets aktiviteter.", "jamstalldhet")
    assert out.status == "thin"


def test_combined_heading_judges_each_perspective_on_its_own(analyze_text):
    result = analyze_text(
        FILLER + "Konsekvenser för miljö-, barn- och jämställdhetsperspektiven\n"
        "Branschen är starkt mansdominerad: 13 procent av de anställda är kvinnor. Projektet ska därför förlägga "
        "utbildningarna på dagtid och följa upp deltagandet med könsuppdelad statistik. Projektledaren ansvarar för arbetet."
    )
    status = {p.id: p.status for p in result.perspectives}
    assert status["jamstalldhet"] == "present"
    assert status["miljo"] == "thin" and status["barn"] == "thin"


def test_running_text_without_heading_can_be_present(status_of):
    out = status_of(
        "Transporterna står för 40 procent av länets utsläpp av växthusgaser. Målet är att utsläppen ska minska "
        "med 3 000 ton koldioxidekvivalenter per år, och Energikontoret ansvarar för uppföljningen.", "miljo")
    assert out.status == "present"
    assert {"analysis", "indicators"} <= set(out.signals)


def test_topic_project_still_needs_substance(status_of):
    out = status_of("Projektet handlar om klimatet och om hållbara lösningar för klimatet i länet.", "miljo")
    assert out.status == "thin"


def test_young_people_alone_are_not_children(status_of):
    out = status_of(FILLER + "Fler unga ska välja utbildningar inom tech, och 30 procent ska vara klara 2027.", "barn")
    assert out.status == "absent"


def test_children_present_with_participation_and_follow_up(status_of):
    out = status_of(
        "Barn 6–12 år i området ska delta i workshoppar där de utformar lekplatsen. En barnjury bedömer förslagen, "
        "och barnens egen bedömning följs upp med en enkät.", "barn")
    assert out.status == "present"


def test_evidence_quotes_the_text(analyze_text):
    text = FILLER + "Jämställdhet\nProjektet ska beakta jämställdhet."
    result = analyze_text(text, include_text=True)
    perspective = next(p for p in result.perspectives if p.id == "jamstalldhet")
    for evidence in perspective.evidence:
        assert result.document.text[evidence.start : evidence.end] == evidence.text


def test_under_eighteen_names_children(status_of):
    out = status_of("Ungdomar under 18 år erbjuds sommarjobb, och de 120 platserna följs upp med en enkät.", "barn")
    assert out.status == "present"


@pytest.mark.parametrize(("perspective", "text"), [
    ("miljo", "Miljö\nProjektet bedöms inte ha några negativa effekter på miljön."),
    ("barn", "Barn\nVi har inte identifierat några konsekvenser för barn."),
    ("jamstalldhet", "Jämställdhetsperspektivet är viktigt för oss och genomsyrar hela projektet."),
    ("barn", "Barnkonventionen är lag sedan 2020 och projektet tar hänsyn till den."),
])
def test_empty_statements_stay_thin(status_of, perspective, text):
    assert status_of(FILLER + text, perspective).status == "thin"


def test_perspectives_sharing_a_sentence_get_their_own_reasons(analyzer):
    """One sentence names women, foreign background and disabilities: each perspective says which words."""
    text = ("Syfte\nProjektet ska göra branschen mer attraktiv för kvinnor, personer med utländsk bakgrund och "
            "personer med funktionsnedsättning. I dag är 12 procent av de anställda kvinnor, och vi ska därför "
            "erbjuda praktikplatser.")
    perspectives = {p.id: p for p in analyzer.analyze(analyzer.read_text(text)).perspectives}
    reasons = [" ".join(perspectives[pid].reasons) for pid in ("jamstalldhet", "likabehandling", "tillganglighet")]
    assert len(set(reasons)) == 3
    assert "”kvinnor”" in reasons[0] and "”funktionsnedsättning”" in reasons[2]
    assert "barn" not in reasons[0]
