"""Find vocabulary terms in sentences: lemma-, compound- and phrase-aware, shared by every analyzer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.corpus.schema import FalseFriend, Term
from analysis.nlp.keys import SURFACE, WORD, position_keys
from analysis.nlp.pipeline import Sentence, Token, phrase_lemma_text

if TYPE_CHECKING:
    from analysis.document import Document

NEGATIONS = frozenset({"inte", "ej", "ingen", "inget", "inga", "aldrig", "varken", "utan"})
NEGATION_WINDOW = 3


@dataclass(frozen=True, slots=True)
class TermHit:
    term: Term
    sentence: Sentence
    first: int  # token index
    last: int
    negated: bool

    @property
    def start(self) -> int:
        return self.sentence.tokens[self.first].start

    @property
    def end(self) -> int:
        return self.sentence.tokens[self.last].end


class TermMatcher:
    """Compiled vocabulary: one pass over a sentence's tokens finds every term.

    A single-word term matches a token whose keys hold it at an allowed
    position (``w:``, ``m:``, ``h:``; ``s:`` for surface terms). A phrase
    matches consecutive token lemmas, its last word also as a compound part.
    False friends veto a hit on the same token (``arbetsmiljö`` for miljö).
    """

    def __init__(self, terms: Iterable[Term], false_friends: Iterable[FalseFriend] = ()) -> None:
        self._single: dict[str, list[Term]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], Term]]] = {}  # indexed by first word
        for term in dict.fromkeys(terms):
            words = term_words(term.term)
            if len(words) == 1:
                for key in self._keys_for(term, term.term if term.surface else words[0]):
                    self._single.setdefault(key, []).append(term)
            elif words:
                self._phrases.setdefault(words[0], []).append((words, term))
        self._single_keys = frozenset(self._single)
        self._phrase_firsts = frozenset(self._phrases)
        self._veto: set[str] = set()
        self._veto_patterns: list[re.Pattern[str]] = []
        for friend in false_friends:
            if friend.term is not None:
                self._veto |= set(self._keys_for(Term(term=friend.term, positions=friend.positions), friend.term))
            elif friend.pattern is not None:
                self._veto_patterns.append(re.compile(friend.pattern, re.IGNORECASE))
        self._alone: TermIndex | None = None

    @staticmethod
    def _keys_for(term: Term, word: str) -> list[str]:
        if term.surface:
            return [SURFACE + word]
        return position_keys(word, term.positions)

    def vetoed(self, token: Token) -> bool:
        """True when the token is a false friend whatever else its keys hold."""
        return bool(self._veto) and any(key in self._veto for key in token.keys) and not any(
            key in self._single for key in token.keys if key.startswith(WORD) and key not in self._veto
        )

    def find(self, sentence: Sentence) -> list[TermHit]:
        """The vocabulary's hits in one sentence (an index of this vocabulary alone; see TermIndex)."""
        if self._alone is None:
            self._alone = TermIndex()
            self._alone.add(self)
        return self._alone.scan(sentence).get(0, [])

    def masked_spans(self, sentence: Sentence) -> list[tuple[int, int]]:
        """Document offsets of text a false-friend pattern covers: no single-word term counts there."""
        return [
            (sentence.start + m.start(), sentence.start + m.end())
            for pattern in self._veto_patterns for m in pattern.finditer(sentence.text)
        ]

    @staticmethod
    def phrase_hits(sentence: Sentence, words: Sequence[str], term: Term, start: int) -> list[TermHit]:
        """The phrase starting at token ``start``, if it is there (the last word may be a compound part)."""
        tokens, n = sentence.tokens, len(words)
        if start + n > len(tokens):
            return []
        if not all(tokens[start + i].lemma == words[i] or tokens[start + i].text.lower() == words[i]
                   for i in range(n - 1)):
            return []
        last = tokens[start + n - 1]
        allowed = position_keys(words[-1], term.positions)
        if last.lemma == words[-1] or any(key in last.keys for key in allowed):
            return [TermHit(term, sentence, start, start + n - 1, _negated(tokens, start))]
        return []


def term_words(term: str) -> tuple[str, ...]:
    """A term's words as a document's tokens carry them: "e-hälsa" is one word (as "e-hälsan" is one token),
    "hälso- och sjukvård" keeps the suspended "hälso-"."""
    return tuple(phrase_lemma_text(term).split())


def _negated(tokens: Sequence[Token], index: int) -> bool:
    window = tokens[max(0, index - NEGATION_WINDOW) : index]
    return any(token.text.lower() in NEGATIONS for token in window)


Vocabulary = int  # a vocabulary's number in its TermIndex


class TermIndex:
    """Many vocabularies in one index: each sentence is scanned once for all of them, not once each.

    Every vocabulary keeps its own rules (false-friend vetoes and masks, phrase and compound
    positions); ``scan`` gives each the hits its TermMatcher alone would find, in the same order.
    The hits of a whole document are computed on first use and kept with the document, so the
    perspectives and every framework's lexical matcher share one scan.
    """

    def __init__(self) -> None:
        self._matchers: list[TermMatcher] = []
        self._single: dict[str, list[tuple[Vocabulary, Term]]] = {}
        self._phrases: dict[str, list[tuple[Vocabulary, tuple[str, ...], Term]]] = {}
        self._single_keys: frozenset[str] = frozenset()
        self._phrase_firsts: frozenset[str] = frozenset()

    def add(self, matcher: TermMatcher) -> Vocabulary:
        """Index one more vocabulary; documents scanned before are scanned again on next use."""
        vocabulary = len(self._matchers)
        self._matchers.append(matcher)
        for key, terms in matcher._single.items():
            self._single.setdefault(key, []).extend((vocabulary, term) for term in terms)
        for first, phrases in matcher._phrases.items():
            self._phrases.setdefault(first, []).extend((vocabulary, words, term) for words, term in phrases)
        self._single_keys = frozenset(self._single)
        self._phrase_firsts = frozenset(self._phrases)
        return vocabulary

    def hits(self, document: Document, vocabulary: Vocabulary) -> dict[int, list[TermHit]]:
        """Sentence index → the vocabulary's hits there (sentences without hits left out)."""
        cached = document.derived.get(self)
        if cached is None or cached[0] != len(self._matchers):
            cached = document.derived[self] = (len(self._matchers), self._scan_document(document))
        return cached[1].get(vocabulary, {})

    def _scan_document(self, document: Document) -> dict[Vocabulary, dict[int, list[TermHit]]]:
        table: dict[Vocabulary, dict[int, list[TermHit]]] = {}
        for index, sentence in enumerate(document.sentences):
            for vocabulary, hits in self.scan(sentence).items():
                table.setdefault(vocabulary, {})[index] = hits
        return table

    def scan(self, sentence: Sentence) -> dict[Vocabulary, list[TermHit]]:
        """Vocabulary → its hits in the sentence: single words first, in token order, then phrases."""
        found: dict[Vocabulary, list[TermHit]] = {}
        if not self._single_keys.isdisjoint(sentence.keys):
            self._single_hits(sentence, found)
        if not self._phrase_firsts.isdisjoint(sentence.lemmas):
            for start, token in enumerate(sentence.tokens):
                for first in {token.lemma, token.text.lower()}:
                    for vocabulary, words, term in self._phrases.get(first, ()):
                        if hits := TermMatcher.phrase_hits(sentence, words, term, start):
                            found.setdefault(vocabulary, []).extend(hits)
        return found

    def _single_hits(self, sentence: Sentence, found: dict[Vocabulary, list[TermHit]]) -> None:
        tokens = sentence.tokens
        masks: dict[Vocabulary, list[tuple[int, int]]] = {}
        for index, token in enumerate(tokens):
            if not token.keys or self._single_keys.isdisjoint(token.keys):
                continue
            allowed: dict[Vocabulary, bool] = {}  # vocabulary → not vetoed and not masked at this token
            seen: set[tuple[Vocabulary, str]] = set()
            negated: bool | None = None
            for key in token.keys:
                for vocabulary, term in self._single.get(key, ()):
                    if (vocabulary, term.term) in seen:
                        continue
                    if vocabulary not in allowed:
                        allowed[vocabulary] = self._allowed(vocabulary, sentence, token, masks)
                    if not allowed[vocabulary]:
                        continue
                    seen.add((vocabulary, term.term))
                    if negated is None:
                        negated = _negated(tokens, index)
                    found.setdefault(vocabulary, []).append(TermHit(term, sentence, index, index, negated))

    def _allowed(self, vocabulary: Vocabulary, sentence: Sentence, token: Token,
                 masks: dict[Vocabulary, list[tuple[int, int]]]) -> bool:
        matcher = self._matchers[vocabulary]
        if matcher.vetoed(token):
            return False
        if vocabulary not in masks:
            masks[vocabulary] = matcher.masked_spans(sentence)
        return not any(a <= token.start < b for a, b in masks[vocabulary])
