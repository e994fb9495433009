"""The Swedish spaCy pipeline: blank "sv" + sentences, lemmas, compounds, coordination.

No trained Swedish pipeline exists offline, so there is no tagger or parser
here, and nothing pretends to be one. Components are registered like spaCy's
own, so they can be listed, disabled or replaced by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import numpy

from analysis.nlp.torchless import import_thinc_without_torch

import_thinc_without_torch()  # before spaCy: it imports thinc, which would import torch

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.tokens import Token as SpacyToken

from analysis.nlp.compounds import split_compound
from analysis.nlp.lemmas import lemma

# Abbreviations that end in a full stop without ending the sentence.
ABBREVIATIONS = [
    "t.ex.",
    "bl.a.",
    "m.fl.",
    "m.m.",
    "enl.",
    "ca.",
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "sept.",
    "okt.",
    "nov.",
    "dec.",
    "resp.",
    "inkl.",
    "exkl.",
    "dvs.",
    "d.v.s.",
    "s.k.",
    "fr.o.m.",
    "t.o.m.",
    "o.s.v.",
    "osv.",
    "etc.",
    "nr.",
    "kap.",
    "st.",
    "kr.",
    "tkr.",
    "mnkr.",
    "milj.",
    "f.d.",
    "p.g.a.",
    "pga.",
    "ang.",
    "jfr.",
    "ev.",
    "s.",
    "tel.",
    "bet.",
    "prop.",
    "skr.",
    "dnr.",
    "ff.",
    "mfl.",
    "ung.",
    "tex.",
    "bla.",
    "vs.",
]
_SENTENCE_FINAL_ABBREVIATIONS = {"osv.", "o.s.v.", "etc.", "m.m.", "m.fl.", "kr.", "tkr.", "mnkr."}
_TERMINAL = {".", "!", "?", "…", "!?"}
_BULLET = re.compile(r"^[•·▪◦●○■–—*-]$")
_SUSPENDED = re.compile(r"^[^\W\d_]+-$")
_CONJUNCTIONS = {"och", "eller", "samt", "respektive"}

# Token._.expanded and Token._.keys for spaCy-native users; the hot path reads doc.user_data instead,
# because the underscore accessor costs more than the work it guards.
for _name in ("expanded", "keys"):
    if not SpacyToken.has_extension(_name):
        SpacyToken.set_extension(_name, default=None)
EXPANDED = "policyalign_expanded"
TOKENS = "policyalign_tokens"  # one list of Token objects shared by the components: spaCy builds a new
                               # Token object on every iteration, and Doc.text rebuilds the whole string


def _tokens(doc: Doc) -> list[SpacyToken]:
    tokens = doc.user_data.get(TOKENS)
    if tokens is None:
        tokens = doc.user_data[TOKENS] = list(doc)
    return tokens


@Language.component("sv_sentences")
def sv_sentences(doc: Doc) -> Doc:
    """Sentence starts: after terminal punctuation (not abbreviations), line breaks and bullets.

    Set with one ``Doc.from_array`` call: spaCy's ``Token.is_sent_start`` setter checks the whole
    doc for a parse each time, which made sentence setting quadratic in the text's length.
    """
    tokens = _tokens(doc)
    starts = numpy.fromiter((1 if _starts_sentence(tokens, index) else -1 for index in range(len(tokens))),
                            dtype=numpy.int64, count=len(tokens))
    if len(tokens):
        # spaCy's own encoding of -1; one attribute takes a 1-d array, though the stub says 2-d only.
        doc.from_array([SENT_START], starts.view(numpy.uint64))  # type: ignore[arg-type]
    return doc


def _starts_sentence(tokens: list[SpacyToken], index: int) -> bool:
    if index == 0:
        return True
    token, previous = tokens[index], tokens[index - 1]
    starts = False
    if previous.is_space and "\n" in previous.text:
        starts = True
    elif previous.text in _TERMINAL or (
        previous.text.endswith(".") and len(previous.text) > 1
        and (previous.lower_ not in ABBREVIATIONS or previous.lower_ in _SENTENCE_FINAL_ABBREVIATIONS)
    ):
        first = token.text[:1]
        starts = first.isupper() or first.isdigit() or first in "”\"'»(•–-"
    elif _BULLET.match(token.text) and index > 1 and previous.is_space:
        starts = True
    return starts and not token.is_space


@Language.component("sv_lemmas")
def sv_lemmas(doc: Doc) -> Doc:
    """simplemma's greedy Swedish lemmas (56/56 on a sample; spaCy's own needs POS tags)."""
    for token in _tokens(doc):
        token.lemma_ = lemma(token.text)
    return doc


@Language.component("sv_coordination")
def sv_coordination(doc: Doc) -> Doc:
    """Expand suspended compounds: "miljö-, barn- och jämställdhetsperspektiven" → miljöperspektiven, …"""
    expanded: dict[int, str] = {}
    doc.user_data[EXPANDED] = expanded
    tokens = _tokens(doc)
    index = 0
    while index < len(tokens):
        if not _SUSPENDED.match(tokens[index].text):
            index += 1
            continue
        pending = [tokens[index]]
        cursor = index + 1
        while cursor < len(tokens):
            text = tokens[cursor].text
            if text == "," or tokens[cursor].is_space:
                cursor += 1
            elif _SUSPENDED.match(text):
                pending.append(tokens[cursor])
                cursor += 1
            else:
                break
        if cursor + 1 < len(tokens) and tokens[cursor].lower_ in _CONJUNCTIONS:
            final = tokens[cursor + 1]
            compound = split_compound(final.text)
            if compound is not None:
                for token in pending:
                    token._.expanded = expanded[token.i] = token.text[:-1] + compound.head_surface
        index = cursor
    return doc


@Language.component("sv_term_keys")
def sv_term_keys(doc: Doc) -> Doc:
    """Attach the keys vocabulary terms are matched against (see ``term_keys``)."""
    expanded = doc.user_data.get(EXPANDED, {})
    for token in _tokens(doc):
        if token.is_alpha or "-" in token.text:
            token._.keys = term_keys(expanded.get(token.i, token.text))
    return doc


@lru_cache(maxsize=30_000)
def term_keys(word: str) -> frozenset[str]:
    """Match keys of one word: ``w:`` lemma/word, ``s:`` surface, ``m:`` modifier runs, ``h:`` head runs."""
    lowered = word.lower().strip("-")
    keys = {f"s:{lowered}", f"w:{lowered}", f"w:{lemma(lowered)}"}
    parts = lowered.split("-") if "-" in lowered else [lowered]
    if len(parts) > 1:  # "Tech-kluster", "EU-projekt": the hyphen marks the compound boundary
        keys |= {f"m:{part}" for part in parts[:-1]} | {f"h:{parts[-1]}", f"h:{lemma(parts[-1])}"}
    compound = split_compound(parts[-1])
    if compound is not None:
        keys |= {f"m:{key}" for key in compound.modifier_keys()}
        keys |= {f"h:{key}" for key in compound.head_keys()}
        # A lexicalised modifier is a compound too: kompetensförsörjning|insats → kompetens.
        inner = split_compound(compound.parts[0])
        if inner is not None:
            keys |= {f"m:{key}" for key in inner.modifier_keys()}
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class Token:
    """A token as the analyzers see it: offsets into the normalised text, lemma and match keys."""

    text: str
    start: int
    end: int
    lemma: str
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int
    tokens: tuple[Token, ...]
    section: int
    paragraph: int
    keys: frozenset[str] = frozenset()  # every token's keys: lets a vocabulary skip a sentence at once
    lemmas: frozenset[str] = frozenset()
    lemma_text: str = ""  # " lemma lemma … " of the word tokens, for finding multi-word names


VOCABULARY_LIMIT = 40_000  # strings in spaCy's store before the shared pipeline is replaced by a fresh one
_shared: Language | None = None


def build_nlp() -> Language:
    """The shared pipeline (built once); replaced by a fresh one when its vocabulary reaches VOCABULARY_LIMIT.

    spaCy's vocabulary, string store and tokenizer cache grow with every new word and are never
    trimmed, so a long-running worker would grow without bound. Docs keep their own vocabulary
    alive, so replacing the pipeline mid-run is safe; a rebuild takes under 0.1 s.
    """
    global _shared
    if _shared is None or len(_shared.vocab.strings) >= VOCABULARY_LIMIT:
        _shared = _new_nlp()
    return _shared


def _new_nlp() -> Language:
    """spaCy blank Swedish with our components; abbreviations stay single tokens."""
    nlp = spacy.blank("sv")
    tokenizer = cast(Tokenizer, nlp.tokenizer)  # a blank pipeline's tokenizer is spaCy's rule-based one
    for abbreviation in ABBREVIATIONS:
        tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
        tokenizer.add_special_case(abbreviation.capitalize(), [{"ORTH": abbreviation.capitalize()}])
    for component in ("sv_sentences", "sv_lemmas", "sv_coordination"):
        nlp.add_pipe(component)
    return nlp


def build_nlp_with_keys() -> Language:
    """The pipeline plus ``sv_term_keys`` (Token._.keys), for spaCy-native callers; analysis does not need it."""
    nlp = spacy.blank("sv")
    for component in build_nlp().pipe_names:
        nlp.add_pipe(component)
    nlp.add_pipe("sv_term_keys")
    return nlp


def sentences_of(doc: Doc, offset: int, section: int, body: str | None = None) -> list[Sentence]:
    """Our frozen sentences from a spaCy doc of one section body starting at ``offset``."""
    out: list[Sentence] = []
    body = doc.text if body is None else body
    expanded = doc.user_data.get(EXPANDED, {})
    spans: list[list] = []
    for t in doc.user_data.pop(TOKENS, None) or doc:  # doc.sents would walk the tokens again
        if t.is_sent_start or not spans:
            spans.append([])
        spans[-1].append(t)
    paragraphs = _ParagraphCounter(body)
    for span in spans:
        tokens = []
        for t in span:
            if t.is_space:
                continue
            text = t.text
            keys = term_keys(expanded.get(t.i, text)) if t.is_alpha or "-" in text else frozenset()
            tokens.append(Token(text, offset + t.idx, offset + t.idx + len(text), t.lemma_, keys))
        if not tokens:
            continue
        start, end = tokens[0].start, tokens[-1].end
        paragraph = paragraphs.before(start - offset)
        all_keys = frozenset().union(*(t.keys for t in tokens))
        lemmas = frozenset(t.lemma for t in tokens) | frozenset(t.text.lower() for t in tokens)
        lemma_text = " " + " ".join(t.lemma for t in tokens if any(ch.isalnum() for ch in t.text)) + " "
        out.append(Sentence(body[start - offset : end - offset], start, end, tuple(tokens), section, paragraph,
                            all_keys, lemmas, lemma_text))
    return out


class _ParagraphCounter:
    """Blank lines before a position, for positions in increasing order: one pass over the body in all."""

    def __init__(self, body: str) -> None:
        self._body, self._position, self._count = body, 0, 0

    def before(self, position: int) -> int:
        if position > self._position:
            self._count += self._body.count("\n\n", self._position, position)
            self._position = position
        return self._count
