"""Findings: each rule firing and not firing."""

from __future__ import annotations

COMPLETE = (
    "Syfte\nSyftet är att fler små företag ska exportera.\n\n"
    "Mål\nMinst 40 företag har en exportplan.\n\n"
    "Aktiviteter\nVi genomför workshoppar och rådgivning.\n\n"
    "Tidsplan\nProjektet genomförs under 2026–2027.\n\n"
    "Budget\nVi ansöker om 800 000 kronor från Region Örebro län, vilket motsvarar {share} procent av projektets kostnader."
)


def rules_of(analyze_text, text: str) -> set[str]:
    return {f.rule for f in analyze_text(text).findings}


def test_complete_application_has_no_findings(analyze_text):
    assert rules_of(analyze_text, COMPLETE.format(share=50)) == set()


def test_share_above_limit(analyze_text):
    result = analyze_text(COMPLETE.format(share=60))
    finding = next(f for f in result.findings if f.rule == "share-above-limit")
    assert finding.severity == "error" and "60 %" in finding.message and "2003:596" in finding.citation
    assert finding.evidence


def test_budget_missing(analyze_text):
    text = COMPLETE.split("Budget\n")[0] + "Budget\nBudgeten redovisas i bilaga 2."
    assert "budget-missing" in rules_of(analyze_text, text)


def test_purpose_goals_timeplan_missing(analyze_text):
    text = "Aktiviteter\nVi genomför workshoppar.\n\nBudget\nVi söker 300 000 kr från Region Örebro län."
    fired = rules_of(analyze_text, text)
    assert {"purpose-missing", "goals-missing", "timeplan-missing"} <= fired


def test_operating_support(analyze_text):
    text = COMPLETE.format(share=40) + "\n\nBidraget ska finansiera vår ordinarie verksamhet under året."
    assert "operating-support" in rules_of(analyze_text, text)


def test_operating_support_negated(analyze_text):
    text = COMPLETE.format(share=40) + "\n\nProjektet är avgränsat från ordinarie verksamhet och utgör inte driftsstöd."
    assert "operating-support" not in rules_of(analyze_text, text)


def test_period_outside_regional_fund_limits(analyze_text):
    text = ("Projektet medfinansieras av Europeiska regionala utvecklingsfonden. "
            "Projektet genomförs från och med 1 mars 2027 till och med 31 mars 2029. "
            "Vi ansöker om 500 000 kronor från Region Örebro län.")
    assert "period-outside-limits" in rules_of(analyze_text, text)
    assert "period-outside-limits" not in rules_of(
        analyze_text, text.replace("Europeiska regionala utvecklingsfonden", "kommunen")
    )


def test_period_in_wrong_order(analyze_text):
    text = COMPLETE.format(share=40).replace("under 2026–2027", "från och med 1 mars 2027 till och med 1 mars 2026")
    assert "period-invalid" in rules_of(analyze_text, text)


def test_decisions_are_not_asked_for_purpose(analyze_text):
    text = ("Förslag till beslut\natt Almi beviljas 40 procent av projektets kostnader, dock högst 500 000 kronor, "
            "och att projektet får påbörjas tidigast 2026-01-01 och avslutas senast 2026-12-31.\n\n"
            "Beslutsunderlag\nProjektbeskrivning.")
    assert rules_of(analyze_text, text) == set()


def test_advance_above_limit_names_the_amount_that_exceeds_it(analyze_text):
    """The sentence holds a small and a large amount: the message must name the large one, not the first."""
    text = COMPLETE.format(share=40) + ("\n\nFörskott\nVi begär förskott: först 100 000 kr vid start och "
                                        "därefter ett förskott på 450 000 kr.")
    findings = {f.rule: f for f in analyze_text(text).findings}
    message = findings["advance-above-limit"].message.replace("\u00a0", " ")
    assert "450 000 kr" in message and "100 000" not in message and "400 000 kronor" in message
    assert findings["advance-above-limit"].evidence[0].text == "450 000 kr"
