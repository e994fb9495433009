"""Swedish pipeline: sentences and abbreviations, lemmas, compounds, coordination, term keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import zipf_frequency

from analysis.corpus.schema import FalseFriend, Term
from analysis.nlp import build_nlp, lemma, sentences_of, split_compound, term_keys
from analysis.nlp.compounds import zipf
from analysis.nlp.pipeline import build_nlp_with_keys
from analysis.nlp.patterns import AnyOf
from analysis.nlp.terms import TermIndex, TermMatcher


def sentence_texts(text: str) -> list[str]:
    return [s.text for s in sentences_of(build_nlp()(text), 0, 0)]


class TestSentences:
    @pytest.mark.parametrize("abbreviation", ["t.ex.", "bl.a.", "enl.", "ca.", "jan."])
    def test_abbreviations_do_not_end_sentences(self, abbreviation):
        text = f"Projektet samarbetar {abbreviation} Örebro kommun och Inkubera. Nästa mening börjar här."
        assert len(sentence_texts(text)) == 2

    def test_list_final_abbreviation_ends_a_sentence_only_before_a_capital(self):
        assert len(sentence_texts("Kommuner m.fl. deltar i arbetet. Almi, Inkubera m.fl. Nästa mening.")) == 3

    def test_line_breaks_and_bullets_end_sentences(self):
        assert sentence_texts("Villkor gäller:\n• Budgeten är finansierad\n• Rapport varje kvartal") == [
            "Villkor gäller:", "• Budgeten är finansierad", "• Rapport varje kvartal"]

    def test_offsets_point_into_the_text(self):
        text = "Första meningen. Andra meningen!"
        for sentence in sentences_of(build_nlp()(text), 0, 0):
            assert text[sentence.start : sentence.end] == sentence.text


class TestLemmas:
    @pytest.mark.parametrize(("word", "expected"), [
        ("kvinnor", "kvinna"), ("företagen", "företag"), ("insatser", "insats"), ("barnen", "barn"),
        ("perspektiven", "perspektiv"), ("utsläppen", "utsläpp"), ("elever", "elev"),
    ])
    def test_simplemma_greedy(self, word, expected):
        assert lemma(word) == expected

    def test_pipeline_sets_lemmas(self):
        assert [t.lemma_ for t in build_nlp()("Kvinnorna deltar")] == ["kvinna", "delta"]

    @pytest.mark.parametrize("word", ["ska", "Skall", "skulle"])
    def test_the_modal_verb_is_not_the_noun_school(self, word):
        assert lemma(word) == "ska"
        assert "w:skola" not in term_keys(word)

    @pytest.mark.parametrize("word", ["polska", "strategiska"])
    def test_no_compound_ends_in_school_for_ska(self, word):
        assert "h:skola" not in term_keys(word)

    def test_the_noun_school_is_still_school(self):
        assert lemma("skolorna") == "skola" and "h:skola" in term_keys("förskolan")


class TestCompounds:
    @pytest.mark.parametrize(("word", "modifier", "head"), [
        ("jämställdhetsperspektivet", "jämställdhet", "perspektiv"),
        ("arbetsmiljö", "arbete", "miljö"),
        ("innovationsmiljö", "innovation", "miljö"),
        ("miljöpåverkan", "miljö", "påverkan"),
        ("företagskluster", "företag", "kluster"),
        ("barnfamiljer", "barn", "familj"),
    ])
    def test_head_and_modifier(self, word, modifier, head):
        compound = split_compound(word)
        assert compound is not None
        assert compound.modifiers[0] == modifier and compound.head == head

    def test_three_parts(self):
        assert split_compound("barnrättsperspektivet").parts == ("barn", "rätt", "perspektiv")

    @pytest.mark.parametrize("word", ["jämställdhet", "företag", "utveckling", "och", "x"])
    def test_lexicalised_or_short_words_are_not_split(self, word):
        assert split_compound(word) is None

    def test_keys_expose_positions(self):
        keys = term_keys("kompetensförsörjningsinsatser")
        assert {"m:kompetens", "m:kompetensförsörjning", "h:insats", "w:kompetensförsörjningsinsats"} <= keys

    def test_hyphenated_compound(self):
        assert {"m:tech", "h:kluster"} <= term_keys("Tech-kluster")


class TestCoordination:
    def test_three_perspectives(self):
        doc = build_nlp_with_keys()("Konsekvenser för miljö-, barn- och jämställdhetsperspektiven")
        expanded = [t._.expanded for t in doc if t._.expanded]
        assert expanded == ["miljöperspektiven", "barnperspektiven"]
        assert "h:perspektiv" in doc[2]._.keys and "m:miljö" in doc[2]._.keys

    def test_two_with_eller(self):
        doc = build_nlp()("insatser för kompetens- eller affärsutveckling")
        assert [t._.expanded for t in doc if t._.expanded] == ["kompetensutveckling"]

    def test_no_conjunction_no_expansion(self):
        assert not any(t._.expanded for t in build_nlp()("miljö- som ord"))


class TestFrequencyTable:
    """The splitter reads wordfreq's table directly; it must give exactly what zipf_frequency gives."""

    @given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöéüßæ-' 0123456789ABÅ", min_size=1, max_size=14))
    @settings(max_examples=400, deadline=None)
    def test_zipf_equals_wordfreq_for_any_string(self, word: str):
        assert zipf(word) == zipf_frequency(word, "sv")

    @pytest.mark.parametrize("word", ["och", "företag", "kompetensförsörjning", "miljö", "tillväxtåtgärder", "xqzv"])
    def test_zipf_equals_wordfreq_for_words(self, word: str):
        assert zipf(word) == zipf_frequency(word, "sv")

    def test_very_long_words_are_not_split(self):
        assert split_compound("företag" * 20) is None
        assert split_compound("kompetensförsörjningsinsats") is not None


class TestTermIndex:
    """One scan for many vocabularies: each keeps its own false friends, masks and phrases."""

    def _sentence(self, text: str):
        return sentences_of(build_nlp()(text), 0, 0)[0]

    def test_each_vocabulary_keeps_its_own_false_friends(self):
        index = TermIndex()
        vetoing = index.add(TermMatcher([Term(term="miljö")], [FalseFriend(term="miljö", positions=("head",),
                                                                           note="omgivning")]))
        plain = index.add(TermMatcher([Term(term="miljö")]))
        hits = index.scan(self._sentence("En bättre arbetsmiljö och miljö."))
        assert [h.first for h in hits[vetoing]] == [4]
        assert [h.first for h in hits[plain]] == [2, 4]

    def test_masks_phrases_and_negation_stay_per_vocabulary(self):
        index = TermIndex()
        masked = index.add(TermMatcher([Term(term="klimat")], [FalseFriend(pattern="gott klimat", note="stämning")]))
        phrase = index.add(TermMatcher([Term(term="biologisk mångfald"), Term(term="klimat")]))
        hits = index.scan(self._sentence("Det är inte gott klimat för biologisk mångfald."))
        assert masked not in hits
        assert [(h.term.term, h.negated) for h in hits[phrase]] == [("klimat", True), ("biologisk mångfald", False)]

    def test_hyphenated_terms_match_as_the_text_writes_them(self):
        """"e-hälsa" is one token in a text, and "hälso- och sjukvård" keeps its suspended "hälso-"."""
        matcher = TermMatcher([Term(term="e-hälsa"), Term(term="eu-projekt"), Term(term="hälso- och sjukvård")])
        sentence = self._sentence("EU-projektet stärker e-hälsan inom hälso- och sjukvården.")
        assert [h.term.term for h in matcher.find(sentence)] == ["eu-projekt", "e-hälsa", "hälso- och sjukvård"]

    def test_a_vocabulary_alone_finds_what_the_index_finds(self):
        sentence = self._sentence("Vi minskar klimatavtrycket och utsläppen.")
        matcher = TermMatcher([Term(term="klimat"), Term(term="utsläpp")])
        index = TermIndex()
        index.add(TermMatcher([Term(term="utsläpp", positions=("head",))]))
        alone = index.add(matcher)
        assert matcher.find(sentence) == index.scan(sentence)[alone]


class TestAnyOf:
    """One scan for many patterns answers exactly what searching each would."""

    PATTERNS = [r"\b(berör|påverkar) (inte|ej)\b", r"\b(\w+) och \1\b", r"(?x) öppen \s för \s alla",
                r"(?P<n>\d+) procent", r"(?P<n>\d+) av \d+", r"\bgenom att\b"]

    @pytest.mark.parametrize("text", ["Projektet berör inte barn.", "mer och mer", "öppen för alla", "40 procent",
                                      "3 av 10", "Vi gör det genom att mäta.", "Inget här.", "BERÖR EJ", ""])
    def test_matches_where_any_pattern_does(self, text):
        import re

        assert AnyOf(self.PATTERNS).search(text) == any(re.search(p, text, re.IGNORECASE) for p in self.PATTERNS)

    def test_no_patterns_match_nothing(self):
        assert not AnyOf([]).search("allt")


class TestTokenizer:
    def test_without_whitespace_special_cases_the_tokens_are_the_same(self):
        """The whitespace cases are dropped (they switch spaCy's tokenizer cache off); tokens must not change."""
        import spacy

        from analysis.nlp.pipeline import ABBREVIATIONS

        reference = spacy.blank("sv").tokenizer
        for abbreviation in ABBREVIATIONS:
            reference.add_special_case(abbreviation, [{"ORTH": abbreviation}])
        text = "Syfte\n\nVi ska t.ex. anställa\ttvå\xa0personer (kr 500 000).\n \n\u2003• AB m.m.\n"
        tokens = [(t.text, t.idx) for t in build_nlp().tokenizer(text)]
        assert tokens == [(t.text, t.idx) for t in reference(text)]
        assert ("\n\n", 5) in tokens and ("\t", 28) in tokens

    def test_no_affix_or_url_rule_matches_a_word_of_letters(self):
        """The premise of the tokenizer skipping its regexes for a word of letters (_UnlessLetters): spaCy's
        Swedish rules need a digit ("10km"), "$" ("US$"), a dot (URLs), punctuation, a symbol or a quote."""
        import spacy
        from spacy.lang.char_classes import CURRENCY, UNITS

        rules = spacy.blank("sv").tokenizer
        letters = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isalpha()]
        units = [word for word in f"{UNITS}|{CURRENCY}".replace("\\", "").split("|") if word.isalpha()]
        for word in [*letters, *(letter * 3 for letter in letters), *units, "Kommunen", "USkm"]:
            assert not (rules.prefix_search(word) or rules.suffix_search(word) or rules.url_match(word)
                        or any(rules.infix_finditer(word))), word

    def test_words_of_letters_are_tokenized_as_without_the_shortcut(self):
        import spacy

        text = "Ärendet gäller ett MB-projekt: 10km väg, 500 kr/m² (t.ex. Åre/Östersund) på www.trafikverket.se."
        assert [t.text for t in build_nlp().tokenizer(text)] == [t.text for t in spacy.blank("sv").tokenizer(text)]

    def test_the_lexical_attributes_analysis_reads_are_spacys(self):
        import spacy

        text = "Nya ord: ärendehanteringssystemet, 10 km \n\n• «citat» (x) – 2025!"
        attributes = [(t.text, t.is_alpha, t.is_space, t.is_punct) for t in build_nlp()(text)]
        assert attributes == [(t.text, t.is_alpha, t.is_space, t.is_punct) for t in spacy.blank("sv")(text)]


class TestSentenceStarts:
    def test_sentence_starts_set_for_every_token(self):
        doc = build_nlp()("Första meningen. Andra meningen\n• en punkt\n• en till")
        assert all(token.is_sent_start is not None for token in doc)
        assert [s.text.strip() for s in doc.sents] == ["Första meningen.", "Andra meningen", "• en punkt", "• en till"]


class TestTorchless:
    """spaCy's thinc would import torch (179 MB); nothing in an analysis needs it."""

    def _run(self, code: str) -> str:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              cwd=Path(__file__).resolve().parent.parent)
        return done.stdout.strip()

    def test_an_analysis_never_imports_torch(self):
        out = self._run(
            "import sys\n"
            "from analysis.pipeline import Analyzer\n"
            "from analysis.settings import Settings\n"
            "analyzer = Analyzer.create(Settings(embedder='static-sv'))\n"
            "analyzer.analyze(analyzer.read_text('Syftet är att fler små företag i Örebro län ska exportera.'))\n"
            "print('torch' in sys.modules, 'spacy' in sys.modules)\n")
        assert out == "False True"

    def test_torch_still_imports_when_asked_for(self):
        out = self._run("import analysis.nlp, sys\nimport torch\nprint(type(torch.zeros(1)).__name__)")
        assert out == "Tensor"


def test_the_decoded_lemma_dictionary_is_kept_and_read_back_the_same(tmp_path):
    from analysis.nlp.lemmas import MarshalledDictionaries

    first = MarshalledDictionaries(lambda: tmp_path).get_dictionary("sv")
    assert [path.suffix for path in tmp_path.iterdir()] == [".marshal"]
    again = MarshalledDictionaries(lambda: tmp_path).get_dictionary("sv")  # read from the file this time
    assert len(again) == len(first) and again.get("projekten") == first.get("projekten")


def test_an_unwritable_or_corrupt_cache_still_gives_the_dictionary(tmp_path):
    from analysis.nlp.lemmas import MarshalledDictionaries

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert MarshalledDictionaries(lambda: blocked).get_dictionary("sv").get("projekten")
    folder = tmp_path / "cache"
    MarshalledDictionaries(lambda: folder).get_dictionary("sv")
    for path in folder.iterdir():
        path.write_bytes(b"\x00garbage")
    assert MarshalledDictionaries(lambda: folder).get_dictionary("sv").get("projekten")
