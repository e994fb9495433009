"""Find vocabulary terms in sentences: lemma-, compound- and phrase-aware, shared by every analyzer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.corpus.schema import FalseFriend, Term
from analysis.nlp.lemmas import phrase_lemmas
from analysis.nlp.pipeline import Sentence, Token

_POSITION_PREFIX = {"word": "w", "modifier": "m", "head": "h"}
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
            words = phrase_lemmas(term.term)
            if len(words) == 1 and " " not in term.term:
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

    @staticmethod
    def _keys_for(term: Term, word: str) -> list[str]:
        if term.surface:
            return [f"s:{word}"]
        return [f"{_POSITION_PREFIX[p]}:{word}" for p in term.positions]

    def vetoed(self, token: Token) -> bool:
        """True when the token is a false friend whatever else its keys hold."""
        return bool(self._veto) and any(key in self._veto for key in token.keys) and not any(
            key in self._single for key in token.keys if key.startswith("w:") and key not in self._veto
        )

    def find(self, sentence: Sentence) -> list[TermHit]:
        tokens = sentence.tokens
        single = not self._single_keys.isdisjoint(sentence.keys)
        phrase = bool(self._phrases) and not self._phrase_firsts.isdisjoint(sentence.lemmas)
        if not single and not phrase:
            return []
        masked = self._masked_spans(sentence)
        hits: list[TermHit] = []
        for index, token in enumerate(tokens if single else ()):
            if not token.keys or self._single_keys.isdisjoint(token.keys) or self.vetoed(token) \
                    or any(a <= token.start < b for a, b in masked):
                continue
            seen: set[str] = set()
            for key in token.keys:
                for term in self._single.get(key, ()):
                    if term.term not in seen:
                        seen.add(term.term)
                        hits.append(TermHit(term, sentence, index, index, _negated(tokens, index)))
        if phrase:
            for start, token in enumerate(tokens):
                for first in {token.lemma, token.text.lower()}:
                    for words, term in self._phrases.get(first, ()):
                        hits.extend(self._phrase_hits(sentence, words, term, start))
        return hits

    def _masked_spans(self, sentence: Sentence) -> list[tuple[int, int]]:
        return [
            (sentence.start + m.start(), sentence.start + m.end())
            for pattern in self._veto_patterns for m in pattern.finditer(sentence.text)
        ]

    @staticmethod
    def _phrase_hits(sentence: Sentence, words: Sequence[str], term: Term, start: int) -> list[TermHit]:
        """The phrase starting at token ``start``, if it is there (the last word may be a compound part)."""
        tokens, n = sentence.tokens, len(words)
        if start + n > len(tokens):
            return []
        if not all(tokens[start + i].lemma == words[i] or tokens[start + i].text.lower() == words[i]
                   for i in range(n - 1)):
            return []
        last = tokens[start + n - 1]
        allowed = [f"{_POSITION_PREFIX[p]}:{words[-1]}" for p in term.positions]
        if last.lemma == words[-1] or any(key in last.keys for key in allowed):
            return [TermHit(term, sentence, start, start + n - 1, _negated(tokens, start))]
        return []


def _negated(tokens: Sequence[Token], index: int) -> bool:
    window = tokens[max(0, index - NEGATION_WINDOW) : index]
    return any(token.text.lower() in NEGATIONS for token in window)
