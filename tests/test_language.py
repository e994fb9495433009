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
