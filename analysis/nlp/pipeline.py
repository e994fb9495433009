"""The Swedish spaCy pipeline: blank "sv" + sentences, lemmas, compounds, coordination.

No trained Swedish pipeline exists offline, so there is no tagger or parser
here, and nothing pretends to be one. Components are registered like spaCy's
own, so they can be listed, disabled or replaced by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import numpy

from analysis.nlp.torchless import import_thinc_without_torch

import_thinc_without_torch()  # before spaCy: it imports thinc, which would import torch

import spacy
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.tokens import Token as SpacyToken

from analysis.marks import BULLET_TOKEN
from analysis.language import abbreviations, swedish
from analysis.nlp.compounds import split_compound
from analysis.nlp.keys import HEAD, MODIFIER, SURFACE, WORD
from analysis.nlp.lemmas import lemma

ABBREVIATIONS = abbreviations()
_ABBREVIATIONS = frozenset(ABBREVIATIONS)
_SENTENCE_FINAL_ABBREVIATIONS = swedish().sentence_final_abbreviations
_TERMINAL = {".", "!", "?", "…", "!?"}
_ENDINGS = {".", "!", "?", "…"}  # the last character of every terminal token (and of "etc.")
_SUSPENDED = re.compile(r"^[^\W\d_]+-$")
_CONJUNCTIONS = swedish().coordinators

# Token._.expanded and Token._.keys for spaCy-native users; the hot path reads doc.user_data instead,
# because the underscore accessor costs more than the work it guards.
for _name in ("expanded", "keys"):
    if not SpacyToken.has_extension(_name):
        SpacyToken.set_extension(_name, default=None)
EXPANDED = "policyalign_expanded"
TOKENS = "policyalign_tokens"  # the doc's _Table, shared by the components


@dataclass
class _Table:
    """The doc's tokens as Python lists, read from spaCy once and shared by the components.

    spaCy builds a new Token object on every iteration, each attribute is a property call, and
    Doc.text rebuilds the whole string: reading each once was most of the pipeline's own time.
    """

    tokens: list[SpacyToken]
    texts: list[str]
    spaces: list[int]  # 1 for a whitespace token
    lemmas: list[str] | None = None  # set by sv_lemmas
    starts: list[bool] | None = None  # set by sv_sentences

    @classmethod
    def of(cls, doc: Doc) -> _Table:
        tokens = list(doc)
        return cls(tokens, [t.text for t in tokens], doc.to_array([IS_SPACE]).tolist() if tokens else [])


def _table(doc: Doc) -> _Table:
    table = doc.user_data.get(TOKENS)
    if table is None:
        table = doc.user_data[TOKENS] = _Table.of(doc)
    return table


@Language.component("sv_sentences")
def sv_sentences(doc: Doc) -> Doc:
    """Sentence starts: after terminal punctuation (not abbreviations), line breaks and bullets.

    Set with one ``Doc.from_array`` call: spaCy's ``Token.is_sent_start`` setter checks the whole
    doc for a parse each time, which made sentence setting quadratic in the text's length.
    """
    table = _table(doc)
    texts, spaces = table.texts, table.spaces
    table.starts = starts_ = [True] + [False] * (len(texts) - 1) if texts else []
    for index in range(1, len(texts)):
        # Only after whitespace, after a token ending as a sentence can, or at a bullet can a sentence start:
        # the full test runs there, not at every word.
        if spaces[index - 1] or texts[index - 1][-1:] in _ENDINGS or len(texts[index]) <= 2:
            starts_[index] = _starts_sentence(texts, spaces, index)
    if table.starts:
        starts = numpy.array([1 if start else -1 for start in table.starts], dtype=numpy.int64)
        # spaCy's own encoding of -1; one attribute takes a 1-d array, though the stub says 2-d only.
        doc.from_array([SENT_START], starts.view(numpy.uint64))  # type: ignore[arg-type]
    return doc


def _starts_sentence(texts: list[str], spaces: list[int], index: int) -> bool:
    if index == 0:
        return True
    text, previous = texts[index], texts[index - 1]
    starts = False
    if spaces[index - 1] and "\n" in previous:
        starts = True
    elif previous in _TERMINAL or (
        previous.endswith(".") and len(previous) > 1
        and (previous.lower() not in _ABBREVIATIONS or previous.lower() in _SENTENCE_FINAL_ABBREVIATIONS)
    ):
        first = text[:1]
        starts = first.isupper() or first.isdigit() or first in "”\"'»(•–-"
    elif len(text) <= 2 and BULLET_TOKEN.match(text) and index > 1 and spaces[index - 1]:  # one character
        starts = True
    return starts and not spaces[index]


@Language.component("sv_lemmas")
def sv_lemmas(doc: Doc) -> Doc:
    """simplemma's greedy Swedish lemmas (56/56 on a sample; spaCy's own needs POS tags)."""
    table = _table(doc)
    table.lemmas = [lemma(text) for text in table.texts]
    for token, value in zip(table.tokens, table.lemmas, strict=True):
        token.lemma_ = value
    return doc


@Language.component("sv_coordination")
def sv_coordination(doc: Doc) -> Doc:
    """Expand suspended compounds: "miljö-, barn- och jämställdhetsperspektiven" → miljöperspektiven, …"""
    expanded: dict[int, str] = {}
    doc.user_data[EXPANDED] = expanded
    table = _table(doc)
    texts, spaces = table.texts, table.spaces
    index = 0
    while index < len(texts):
        if not texts[index].endswith(("-", "-\n")) or not _SUSPENDED.match(texts[index]):  # ends as "$" allows
            index += 1
            continue
        pending = [index]
        cursor = index + 1
        while cursor < len(texts):
            text = texts[cursor]
            if text == "," or spaces[cursor]:
                cursor += 1
            elif _SUSPENDED.match(text):
                pending.append(cursor)
                cursor += 1
            else:
                break
        if cursor + 1 < len(texts) and texts[cursor].lower() in _CONJUNCTIONS:
            compound = split_compound(texts[cursor + 1])
            if compound is not None:
                for i in pending:
                    table.tokens[i]._.expanded = expanded[i] = texts[i][:-1] + compound.head_surface
        index = cursor
    return doc


@Language.component("sv_term_keys")
def sv_term_keys(doc: Doc) -> Doc:
    """Attach the keys vocabulary terms are matched against (see ``term_keys``)."""
    expanded = doc.user_data.get(EXPANDED, {})
    for token in _table(doc).tokens:
        if token.is_alpha or "-" in token.text:
            token._.keys = term_keys(expanded.get(token.i, token.text))
    return doc


@lru_cache(maxsize=30_000)
def term_keys(word: str) -> frozenset[str]:
    """Match keys of one word (analysis/nlp/keys.py): word/lemma, surface, modifier runs, head runs."""
    lowered = word.lower().strip("-")
    keys = {SURFACE + lowered, WORD + lowered, WORD + lemma(lowered)}
    parts = lowered.split("-") if "-" in lowered else [lowered]
    if len(parts) > 1:  # "Tech-kluster", "EU-projekt": the hyphen marks the compound boundary
        keys |= {MODIFIER + part for part in parts[:-1]} | {HEAD + parts[-1], HEAD + lemma(parts[-1])}
    compound = split_compound(parts[-1])
    if compound is not None:
        keys |= {MODIFIER + key for key in compound.modifier_keys()}
        keys |= {HEAD + key for key in compound.head_keys()}
        # A lexicalised modifier is a compound too: kompetensförsörjning|insats → kompetens.
        inner = split_compound(compound.parts[0])
        if inner is not None:
            keys |= {MODIFIER + key for key in inner.modifier_keys()}
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


class _UnlessLetters:
    """One of the tokenizer's regex methods, answered at once for a string of letters alone.

    Every prefix, suffix, infix and URL rule of spaCy's Swedish tokenizer needs a digit, punctuation,
    a symbol or a quote in the string, so none matches a word of letters: a new word skips the
    regexes, some 40% of the cost of tokenizing it. ``__self__`` is the pattern, as for the method
    itself, so the tokenizer still serialises.
    """

    def __init__(self, method: Callable[[str], object], nothing: object) -> None:
        self.__self__ = getattr(method, "__self__", None)
        self._method, self._nothing = method, nothing

    def __call__(self, string: str) -> object:
        return self._nothing if string.isalpha() else self._method(string)


# The lexical attributes analysis reads (text and lemma aside). spaCy's twenty others (norm, shape, like_num,
# stop words, …) cost as much per new word as the rest of tokenizing it, and this pipeline leaves them unset
# (zero) on the words it meets. build_nlp_with_keys, for spaCy-native callers, keeps them all.
LEXEME_ATTRIBUTES = (IS_ALPHA, IS_SPACE, IS_PUNCT)
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
    vocab: Any = nlp.vocab  # spaCy's stub lacks lex_attr_getters
    vocab.lex_attr_getters = {attr: vocab.lex_attr_getters[attr] for attr in LEXEME_ATTRIBUTES}
    default = cast(Tokenizer, nlp.tokenizer)  # a blank pipeline's tokenizer is spaCy's rule-based one
    # Once a special case matches in a doc, spaCy caches none of the doc's later words, and "\n" is one:
    # without the whitespace cases (a whitespace run is one token either way) the tokenizer cache works.
    rules = {orth: case for orth, case in (default.rules or {}).items() if not orth.isspace()}
    rules |= {form: [{"ORTH": form}] for abbreviation in ABBREVIATIONS
              for form in (abbreviation, abbreviation.capitalize())}
    nlp.tokenizer = Tokenizer(
        nlp.vocab, rules, prefix_search=_UnlessLetters(default.prefix_search, None),
        suffix_search=_UnlessLetters(default.suffix_search, None),
        infix_finditer=_UnlessLetters(default.infix_finditer, ()), token_match=default.token_match,
        url_match=_UnlessLetters(default.url_match, None), faster_heuristics=default.faster_heuristics,
    )
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


def phrase_lemma_text(phrase: str) -> str:
    """A phrase written as a sentence's ``lemma_text``: the documents' own tokenizer and lemmas.

    A priority's name is then read exactly as the text naming it is: "hälso- och sjukvård" keeps the
    suspended "hälso-" as the document does, where lemmatising word by word would give "hälsa".
    """
    return _lemma_text((text, lemma(text)) for text in (token.text for token in build_nlp().tokenizer(phrase)))


def _lemma_text(words: Iterable[tuple[str, str]]) -> str:
    """" lemma lemma … " of the (text, lemma) pairs whose text holds a letter or digit: a sentence's or a name's."""
    return " " + " ".join(lemma_ for text, lemma_ in words if _has_alnum(text)) + " "


def _has_alnum(text: str) -> bool:
    """A letter or digit anywhere in ``text``; most tokens are words, which ``isalnum`` answers at once."""
    return text.isalnum() or any(ch.isalnum() for ch in text)


def sentences_of(doc: Doc, offset: int, section: int, body: str | None = None) -> list[Sentence]:
    """Our frozen sentences from a spaCy doc of one section body starting at ``offset``."""
    out: list[Sentence] = []
    body = doc.text if body is None else body
    expanded = doc.user_data.get(EXPANDED, {})
    table = doc.user_data.pop(TOKENS, None) or _Table.of(doc)  # doc.sents would walk the tokens again
    starts = table.starts if table.starts is not None else [bool(t.is_sent_start) for t in table.tokens]
    lemma_of = table.lemmas if table.lemmas is not None else [t.lemma_ for t in table.tokens]
    columns = doc.to_array([IDX, IS_ALPHA]).tolist() if table.tokens else []
    spans: list[list[int]] = []
    for index, start in enumerate(starts):
        if start or not spans:
            spans.append([])
        spans[-1].append(index)
    paragraphs = _ParagraphCounter(body)
    for span in spans:
        tokens = []
        for i in span:
            if table.spaces[i]:
                continue
            text = table.texts[i]
            idx, alpha = columns[i]
            keys = term_keys(expanded.get(i, text)) if alpha or "-" in text else frozenset()
            tokens.append(Token(text, offset + idx, offset + idx + len(text), lemma_of[i], keys))
        if not tokens:
            continue
        start, end = tokens[0].start, tokens[-1].end
        paragraph = paragraphs.before(start - offset)
        all_keys = frozenset().union(*(t.keys for t in tokens))
        lemmas = frozenset(t.lemma for t in tokens) | frozenset(t.text.lower() for t in tokens)
        lemma_text = _lemma_text((t.text, t.lemma) for t in tokens)
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
