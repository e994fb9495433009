"""Swedish language data: well-formed, and read the same by the normaliser and the NLP pipeline."""

from analysis.language import abbreviations, swedish


def test_abbreviations_end_in_a_full_stop_and_are_listed_once():
    listed = abbreviations()
    assert listed and all(word.endswith(".") for word in listed)
    assert len(listed) == len(set(listed)) and set(listed) == swedish().abbreviations
    assert swedish().sentence_final_abbreviations <= swedish().abbreviations


def test_suspension_words_are_the_coordinators_and_their_followers():
    words = swedish()
    assert {"och", "eller"} <= words.coordinators <= words.suspension_words
    assert words.suspension_followers <= words.suspension_words


def test_the_pipeline_and_the_normaliser_read_the_same_words():
    from analysis.ingest.normalise import normalise
    from analysis.nlp.pipeline import ABBREVIATIONS, build_nlp

    assert abbreviations() == ABBREVIATIONS
    doc = build_nlp()("Vi söker bl.a. stöd. Nästa mening.")
    assert [s.text for s in doc.sents] == ["Vi söker bl.a. stöd.", "Nästa mening."]
    assert "miljö- och klimatfrågor" in normalise("Vi arbetar med miljö-\noch klimatfrågor i länet.")


SWEDISH = ("Syftet med projektet är att fler små och medelstora företag i länet ska börja exportera. Vi erbjuder "
           "rådgivning och utbildning under två år, och deltagandet följs upp uppdelat på kvinnor och män. Projektet "
           "ska också stärka samverkan mellan näringslivet och kommunerna, även när företagen inte har egen personal "
           "för export. Det är ett första steg till en regional exportstrategi från regionen. ")
NORWEGIAN = ("Formålet med prosjektet er at flere små og mellomstore bedrifter i fylket skal begynne å eksportere. Vi "
             "tilbyr rådgivning og opplæring i to år, og deltakelsen følges opp fordelt på kvinner og menn. Prosjektet "
             "skal også styrke samarbeidet mellom næringslivet og kommunene, også når bedriftene ikke har egne ansatte "
             "til eksport. Det er et første steg mot en regional eksportstrategi fra fylkeskommunen. ")
ENGLISH = ("The project aims to increase exports among small and medium-sized companies in the region. We offer advice "
           "and training over two years, and participation is followed up by gender. ") * 3


def test_a_clearly_swedish_text_needs_no_language_identifier_and_agrees_with_it():
    from analysis.ingest.language import _identifier, clearly_swedish, detect_language

    assert clearly_swedish(SWEDISH)
    assert _identifier().classify(SWEDISH)[0] == "sv" and detect_language(SWEDISH) == ("sv", 1.0)


def test_other_languages_and_mixed_texts_are_left_to_the_language_identifier():
    from analysis.ingest.language import clearly_swedish, detect_language

    assert not clearly_swedish(NORWEGIAN) and detect_language(NORWEGIAN)[0] == "no"
    assert not clearly_swedish(ENGLISH) and detect_language(ENGLISH)[0] == "en"
    assert not clearly_swedish(ENGLISH + SWEDISH[:150])  # an English text quoting a Swedish sentence
    assert not clearly_swedish(SWEDISH[:120])  # too few words for a verdict without the identifier
