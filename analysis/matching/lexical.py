"""Lexical matcher: the corpus vocabulary found in the text, lemma- and compound-aware.

A hit counts more in the title, summary, purpose and goals than in the
background (section weights are corpus data), less when the term is shared
by many items of the framework (idf), not at all when negated. Naming the
item itself ("prioriterade område Näringsliv och entreprenörskap") is the
strongest lexical evidence there is.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from analysis.corpus.schema import Framework, HeadingLexicon, Term
from analysis.document import Document
from analysis.matching.base import ItemScore
from analysis.matching.features import Feature
from analysis.matching.registry import register
from analysis.nlp import phrase_lemma_text
from analysis.nlp.terms import TermIndex, TermMatcher, Vocabulary
from analysis.result import Evidence

NAME_MENTION_WEIGHT = 4.0
SECONDARY_STRENGTH = 0.5  # "stärker även området …": an extra, not the text's own priority
BARE_STRENGTH = 0.75  # a name with no claim around it (a title, a list): strong evidence, not explicit


@dataclass
class _Compiled:
    """One vocabulary for a whole framework: each sentence is scanned once, not once per item."""

    vocabulary: Vocabulary  # in the matcher's TermIndex
    owners: dict[Term, list[str]]  # term → items whose vocabulary holds it
    idf: dict[str, float]
    names: dict[str, str]  # item → its name as " lemma lemma … " (names of two words or more)


@register("lexical")
class LexicalMatcher:
    name: ClassVar[str]  # set by @register
    features = (Feature.LEXICAL_SHARE, Feature.LEXICAL_LOG, Feature.NAME_MENTION)
    score_range = (0.0, math.inf)

    def __init__(self, headings: HeadingLexicon, evidence_limit: int = 3, terms: TermIndex | None = None) -> None:
        """``terms``: the index shared with other analyzers (the pipeline's), so a sentence is scanned once."""
        self._headings = headings
        self._terms = TermIndex() if terms is None else terms
        self._evidence_limit = evidence_limit
        self._compiled: dict[str, _Compiled] = {}

    def _mention_strength(self, before: str) -> float:
        """1.0 when the text claims the item as its own (a context word before the name, corpus data);
        less for an extra after "även", or a bare name with no claim (a title, a list)."""
        mentions = self._headings.priority_mentions
        recent = before.split()[-mentions.window :]
        if any(word in mentions.secondary for word in recent):
            return SECONDARY_STRENGTH
        return 1.0 if any(word in mentions.context for word in recent) else BARE_STRENGTH

    def warm(self, frameworks: list[Framework]) -> None:
        """Index every framework's vocabulary before the first document, so no document is scanned twice."""
        for framework in frameworks:
            self._compile(framework)

    def _compile(self, framework: Framework) -> _Compiled:
        if framework.id not in self._compiled:
            owners: dict[Term, list[str]] = defaultdict(list)
            containing: dict[str, int] = defaultdict(int)
            for item in framework.items:
                for term in dict.fromkeys(item.vocabulary):
                    owners[term].append(item.id)
                for text in {t.term for t in item.vocabulary}:
                    containing[text] += 1
            # False friends of any item veto the look-alike for all: "företagsklimat" is never climate.
            friends = [friend for item in framework.items for friend in item.false_friends]
            n_items = len(framework.items)
            self._compiled[framework.id] = _Compiled(
                self._terms.add(TermMatcher(owners, friends)), dict(owners),
                {text: math.log(1 + n_items / count) for text, count in containing.items()},
                {item.id: name for item in framework.items
                 if (name := _hyphens_as_spaces(phrase_lemma_text(item.name))).count(" ") > 2})
        return self._compiled[framework.id]

    def score(self, document: Document, framework: Framework) -> list[ItemScore]:
        compiled = self._compile(framework)
        per_term: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        per_sentence: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        mention: dict[str, float] = defaultdict(float)
        found = self._terms.hits(document, compiled.vocabulary)
        lemma_texts = _spaced_lemma_texts(document)
        for index, sentence in enumerate(document.sentences):
            weight = self._headings.weight_of(document.section_of(sentence).id)
            lemma_text = lemma_texts[index]
            for hit in found.get(index, ()):
                if hit.negated:
                    continue
                gain = hit.term.weight * weight
                for item_id in compiled.owners[hit.term]:
                    per_term[item_id][hit.term.term] += gain
                    per_sentence[item_id][index] += gain * compiled.idf[hit.term.term]
            for item_id, name in compiled.names.items():
                if (at := lemma_text.find(name)) >= 0:
                    strength = self._mention_strength(lemma_text[:at])
                    mention[item_id] = max(mention[item_id], strength)
                    per_sentence[item_id][index] += NAME_MENTION_WEIGHT * strength * max(weight, 1.0)
        results = []
        for item in framework.items:
            raw = sum(compiled.idf[term] * math.log1p(total) for term, total in per_term[item.id].items())
            raw += NAME_MENTION_WEIGHT * mention[item.id]
            # Only the best sentences become Evidence (a validated model), ranked as top_evidence ranks them
            # (each sentence is one span, so there is nothing to deduplicate).
            best = heapq.nsmallest(self._evidence_limit, ((-round(s, 4), document.sentences[i].start, i)
                                                          for i, s in per_sentence[item.id].items()))
            evidence = [
                Evidence(text=document.sentences[i].text, start=document.sentences[i].start,
                         end=document.sentences[i].end, score=-score, source=self.name)
                for score, _, i in best
            ]
            results.append(ItemScore(item.id, raw, evidence, self.name,
                                     {Feature.LEXICAL_LOG: math.log1p(raw),
                                      Feature.NAME_MENTION: mention[item.id]}))
        total = sum(r.score for r in results) or 1.0
        for result in results:
            result.features[Feature.LEXICAL_SHARE] = result.score / total
        return results


def _spaced_lemma_texts(document: Document) -> list[str]:
    """Each sentence's lemma text as names are written: once per document, shared by every framework."""
    texts = document.derived.get(_spaced_lemma_texts)
    if texts is None:
        texts = document.derived[_spaced_lemma_texts] = [_hyphens_as_spaces(s.lemma_text) for s in document.sentences]
    return texts


def _hyphens_as_spaces(lemma_text: str) -> str:
    """ " eu-projekt " → " eu projekt ", " hälso- och " → " hälso och ": names and texts hyphenate alike."""
    return f" {' '.join(lemma_text.replace('-', ' ').split())} "
