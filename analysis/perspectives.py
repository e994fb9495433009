"""Perspectives: is miljö, barn, jämställdhet (…) present, thin or absent, and why.

The text about a perspective is found three ways: sections whose heading
names only that perspective; sentences whose words are about it (lemma and
compound aware, false friends vetoed); and up to two following sentences of
the same paragraph, until another perspective takes over. Within that text,
"empty" sentences (not relevant, no negative impact, open to all, intent
only) count for nothing; the rest are searched for the four kinds of
substance the definitions name. Status follows the corpus definitions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from analysis.corpus.schema import EmptySign, Perspective, PerspectiveSet, SignalKind, Term
from analysis.document import Document
from analysis.nlp import Sentence
from analysis.nlp.patterns import AnyOf
from analysis.nlp.terms import TermHit, TermIndex, TermMatcher, Vocabulary
from analysis.result import Evidence, PerspectiveOut, PerspectiveStatus, perspective_source

CONTINUATION_SENTENCES = 2


@dataclass
class _Compiled:
    perspective: Perspective
    topic: Vocabulary  # in the analyzer's TermIndex
    signals: dict[SignalKind, AnyOf]  # the perspective's own; the common ones are the analyzer's
    friend_terms: Vocabulary
    friend_patterns: list[tuple[re.Pattern[str], str]]
    any_friend_pattern: AnyOf  # a sentence none of them matches needs no look at each


@dataclass
class _Sentences:
    """What is the same for every perspective, found once per sentence of one document."""

    common: dict[int, set[SignalKind]] = field(default_factory=dict)  # the common signals' kinds
    empty: dict[int, EmptySign | None] = field(default_factory=dict)  # the first empty sign


# Why a sentence is in a perspective's scope: under its heading, it names the perspective (strongly or with
# a weak word only), or it follows such a sentence.
ScopeReason = Literal["heading", "mention", "weak", "continuation"]


@dataclass
class _Scope:
    sentences: dict[int, ScopeReason] = field(default_factory=dict)  # sentence index → why it is in scope
    strong_mention: bool = False
    weak_words: set[str] = field(default_factory=set)  # weak-only words seen ("unga")
    words: dict[str, None] = field(default_factory=dict)  # the perspective's own words seen, in text order


class PerspectiveAnalyzer:
    def __init__(self, perspective_set: PerspectiveSet, evidence_limit: int = 3,
                 terms: TermIndex | None = None) -> None:
        """``terms``: the index shared with other analyzers (the pipeline's), so a sentence is scanned once."""
        self._set = perspective_set
        self._terms = TermIndex() if terms is None else terms
        self._evidence_limit = evidence_limit
        self._empty = [(sign, AnyOf(sign.patterns)) for sign in perspective_set.empty_signs]
        self._common = {kind: AnyOf(perspective_set.common_signals.get(kind, []))
                        for kind in perspective_set.signal_kinds}
        self._compiled = [self._compile(p) for p in perspective_set.perspectives]

    def _compile(self, perspective: Perspective) -> _Compiled:
        signals = {kind: AnyOf(perspective.signals.get(kind, [])) for kind in self._set.signal_kinds}
        return _Compiled(
            perspective,
            self._terms.add(TermMatcher(perspective.vocabulary, perspective.false_friends)),
            signals,
            self._terms.add(TermMatcher(
                [
                    Term(term=f.term, positions=f.positions, note=f.note)
                    for f in perspective.false_friends
                    if f.term is not None
                ]
            )),
            [(re.compile(f.pattern, re.IGNORECASE), f.note) for f in perspective.false_friends if f.pattern],
            AnyOf(f.pattern for f in perspective.false_friends if f.pattern),
        )

    def analyze(self, document: Document) -> list[PerspectiveOut]:
        mentions = {c.perspective.id: self._mentions(c, document) for c in self._compiled}
        shared = _Sentences()
        return [self._judge(c, document, self._scope(c, document, mentions), shared) for c in self._compiled]

    def _mentions(self, compiled: _Compiled, document: Document) -> dict[int, list[TermHit]]:
        """Sentence index → the perspective's terms found in it."""
        return self._terms.hits(document, compiled.topic)

    def _scope(self, compiled: _Compiled, document: Document, mentions: dict[str, dict[int, list[TermHit]]]) -> _Scope:
        pid = compiled.perspective.id
        scope = _Scope()
        sentences = document.sentences
        for index, sentence in enumerate(sentences):
            section = document.section_of(sentence)
            if section.perspectives == (pid,):
                scope.sentences[index] = "heading"
        for index, hits in mentions[pid].items():
            # "unga" may be adults: a weak-only mention names the topic but is no evidence of substance.
            strong = any(not hit.term.weak for hit in hits)
            scope.sentences.setdefault(index, "mention" if strong else "weak")
            scope.strong_mention |= strong
            if not strong:
                scope.weak_words |= {sentences[index].tokens[hit.first].text.lower() for hit in hits}
            for hit in hits:
                if not hit.term.weak:
                    scope.words.setdefault(sentences[index].tokens[hit.first].text.lower())
            for follower in range(index + 1, min(index + 1 + CONTINUATION_SENTENCES, len(sentences))):
                if not _same_paragraph(sentences[index], sentences[follower]):
                    break
                if any(_strong(mentions[other].get(follower)) for other in mentions if other != pid):
                    break
                scope.sentences.setdefault(follower, "continuation" if strong else "weak")
        return scope

    def _judge(self, compiled: _Compiled, document: Document, scope: _Scope, shared: _Sentences) -> PerspectiveOut:
        perspective = compiled.perspective
        templates = self._set.reasons
        headed = [s for s in document.sections if perspective.id in s.perspectives]
        kinds, evidence, empty_reasons = self._substance(compiled, document, scope, shared)
        labels = self._set.signal_kinds
        found = [labels[k].lower() for k in _ordered(kinds, labels)]
        reasons: list[str] = []
        status: PerspectiveStatus
        if not headed and not scope.strong_mention:  # neither a heading nor a sentence about it
            status, score = "absent", 0.0
            reasons.append(templates.absent.format(name=perspective.name.lower()))
            if scope.weak_words and perspective.weak_note:
                words = ", ".join(f"”{w}”" for w in sorted(scope.weak_words))
                reasons.append(templates.weak_only.format(words=words, note=perspective.weak_note))
            evidence = [e for e in evidence if e.score > 0]
        elif len(kinds) >= self._set.present_min_kinds:
            status, score = "present", min(1.0, 0.55 + 0.1 * len(kinds))
            reasons.append(templates.present.format(found=_join(found), words=_words(scope)))
        else:
            status, score = "thin", round(0.1 + 0.1 * len(kinds), 2)
            if headed and not scope.sentences:
                reasons.append(templates.heading_only.format(heading=headed[0].heading))
            reasons.extend(empty_reasons)
            if kinds:
                missing = [labels[k].lower() for k in _ordered(set(labels) - kinds, labels)]
                reasons.append(templates.partial.format(found=_join(found), missing=_join(missing),
                                                        words=_words(scope)))
            elif scope.sentences and not empty_reasons:
                reasons.append(templates.no_substance.format(words=_words(scope)))
        reasons.extend(self._false_friends(compiled, document, templates.false_friend))
        evidence = sorted(evidence, key=lambda e: (-e.score, e.start))[: self._evidence_limit]
        return PerspectiveOut(id=perspective.id, name=perspective.name, required=perspective.required, status=status,
                              score=score, reasons=reasons, evidence=sorted(evidence, key=lambda e: e.start),
                              signals=[*_ordered(kinds, labels)])

    def _substance(self, compiled: _Compiled, document: Document, scope: _Scope,
                   shared: _Sentences) -> tuple[set[SignalKind], list[Evidence], list[str]]:
        """Kinds of substance in the text about the perspective; empty sentences give reasons instead.

        A sentence with an empty sign still counts when it also carries substance ("berörs inte
        direkt, men 40 procent av deltagarna är kvinnor och vi följer upp ..."): the sign only
        empties sentences that say nothing else.
        """
        perspective = compiled.perspective
        kinds: set[SignalKind] = set()
        evidence: list[Evidence] = []
        empty_reasons: list[str] = []
        for index in sorted(scope.sentences):
            sentence = document.sentences[index]
            if index not in shared.common:
                shared.common[index] = {kind for kind, signal in self._common.items() if signal.search(sentence.text)}
            found = shared.common[index] | {
                kind for kind, signal in compiled.signals.items() if signal.search(sentence.text)
            }
            if index not in shared.empty and not found:
                shared.empty[index] = self._empty_sign(sentence)
            if not found and (sign := shared.empty[index]) is not None:
                empty_reasons.append(self._set.reasons.empty_sentence.format(reason=sign.reason,
                                                                            quote=_quote(sentence.text)))
                evidence.append(_evidence(sentence, 0.0, perspective_source(sign.id)))
                continue
            if scope.sentences[index] == "weak" and not (scope.strong_mention and perspective.weak_counts_when_named):
                continue  # weak words count as substance only once the perspective itself is named
            kinds |= found
            if found or scope.sentences[index] != "continuation":
                evidence.append(_evidence(sentence, len(found) / 4, perspective_source(*found)))
        return kinds, evidence, empty_reasons

    def _empty_sign(self, sentence: Sentence) -> EmptySign | None:
        for sign, patterns in self._empty:
            if patterns.search(sentence.text):
                return sign
        return None

    def _false_friends(self, compiled: _Compiled, document: Document, template: str) -> list[str]:
        """Explain look-alikes the text uses, so the officer sees why they did not count."""
        notes: dict[str, str] = {}
        friends = self._terms.hits(document, compiled.friend_terms)
        for index, sentence in enumerate(document.sentences):
            for hit in friends.get(index, ()):
                word = sentence.tokens[hit.first].text
                notes.setdefault(word.lower(), template.format(word=word, note=hit.term.note))
            for pattern, note in compiled.friend_patterns if compiled.any_friend_pattern.search(sentence.text) else ():
                if match := pattern.search(sentence.text):
                    notes.setdefault(match.group(0).lower(), template.format(word=match.group(0), note=note))
        return list(notes.values())[:3]


def _words(scope: _Scope, limit: int = 4) -> str:
    """The perspective's own words the text used, quoted: why this text is about this perspective."""
    words = [f"”{word}”" for word in list(scope.words)[:limit]]
    return _join(words) if words else "i rubriken"


def _strong(hits: list[TermHit] | None) -> bool:
    return any(not hit.term.weak for hit in hits or ())


def _same_paragraph(first: Sentence, second: Sentence) -> bool:
    return first.section == second.section and first.paragraph == second.paragraph


def _evidence(sentence: Sentence, score: float, source: str) -> Evidence:
    return Evidence(text=sentence.text, start=sentence.start, end=sentence.end, score=round(score, 3), source=source)


def _quote(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _ordered(kinds: set[SignalKind], labels: dict[SignalKind, str]) -> list[SignalKind]:
    return [kind for kind in labels if kind in kinds]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1] if words else ""
