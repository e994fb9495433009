"""Swedish NLP: sentences, lemmas, compound parts and coordination, on blank spaCy."""

from analysis.nlp.compounds import Compound, is_swedish_word, split_compound
from analysis.nlp.lemmas import lemma, phrase_lemmas
from analysis.nlp.pipeline import Sentence, Token, build_nlp, phrase_lemma_text, sentences_of, term_keys

__all__ = ["Compound", "Sentence", "Token", "build_nlp", "is_swedish_word", "lemma", "phrase_lemma_text",
           "phrase_lemmas", "sentences_of", "split_compound", "term_keys"]
