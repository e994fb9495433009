"""Lexical matcher: the corpus vocabulary found in the text, lemma- and compound-aware.

A hit counts more in the title, summary, purpose and goals than in the
background (section weights are corpus data), less when the term is shared
by many items of the framework (idf), not at all when negated. Naming the
item itself ("prioriterade område Näringsliv och entreprenörskap") is the
strongest lexical evidence there is.
"""

from __future__ import annotations

import math
from collections import defaultdict

from analysis.corpus.schema import Framework, HeadingLexicon, PolicyItem
from analysis.document import Document
from analysis.matching.base import ItemScore, top_evidence
from analysis.nlp import Sentence, phrase_lemmas
from analysis.nlp.terms import TermMatcher
from analysis.result import Evidence

NAME_MENTION_WEIGHT = 4.0


class LexicalMatcher:
    name = "lexical"

    def __init__(self, headings: HeadingLexicon, evidence_limit: int = 3) -> None:
        self._headings = headings
        self._evidence_limit = evidence_limit
        self._compiled: dict[str, tuple[dict[str, TermMatcher], dict[str, float], dict[str, tuple[str, ...]]]] = {}

    def _compile(self, framework: Framework):
        if framework.id not in self._compiled:
            matchers = {item.id: TermMatcher(item.vocabulary, item.false_friends) for item in framework.items}
            containing: dict[str, int] = defaultdict(int)
            for item in framework.items:
                for term in {t.term for t in item.vocabulary}:
                    containing[term] += 1
            n_items = len(framework.items)
            idf = {term: math.log(1 + n_items / count) for term, count in containing.items()}
            names = {item.id: _name_lemmas(item) for item in framework.items}
            self._compiled[framework.id] = (matchers, idf, names)
        return self._compiled[framework.id]

    def score(self, document: Document, framework: Framework) -> list[ItemScore]:
        matchers, idf, names = self._compile(framework)
        results = []
        for item in framework.items:
            per_term: dict[str, float] = defaultdict(float)
            per_sentence: dict[int, float] = defaultdict(float)
            mention = 0.0
            for index, sentence in enumerate(document.sentences):
                weight = self._headings.weight_of(document.section_of(sentence).id)
                for hit in matchers[item.id].find(sentence):
                    if hit.negated:
                        continue
                    gain = hit.term.weight * weight
                    per_term[hit.term.term] += gain
                    per_sentence[index] += gain * idf[hit.term.term]
                if _mentions(sentence, names[item.id]):
                    mention = max(mention, 1.0)
                    per_sentence[index] += NAME_MENTION_WEIGHT * max(weight, 1.0)
            raw = sum(idf[term] * math.log1p(total) for term, total in per_term.items())
            raw += NAME_MENTION_WEIGHT * mention
            evidence = [
                Evidence(text=document.sentences[i].text, start=document.sentences[i].start,
                         end=document.sentences[i].end, score=round(s, 4), source=self.name)
                for i, s in per_sentence.items()
            ]
            results.append(ItemScore(item.id, raw, top_evidence(evidence, self._evidence_limit), self.name,
                                     {"lexical_raw": raw, "name_mention": mention, "terms": float(len(per_term))}))
        total = sum(r.score for r in results) or 1.0
        for result in results:
            result.features["lexical_share"] = result.score / total
        return results


def _name_lemmas(item: PolicyItem) -> tuple[str, ...]:
    return tuple(word for word in phrase_lemmas(item.name.lower()) if any(ch.isalnum() for ch in word))


def _mentions(sentence: Sentence, name: tuple[str, ...]) -> bool:
    """The item's name as a run of lemmas, punctuation ignored (names are often quoted)."""
    if len(name) < 2:
        return False
    lemmas = [t.lemma for t in sentence.tokens if any(ch.isalnum() for ch in t.text)]
    n = len(name)
    return any(tuple(lemmas[i : i + n]) == name for i in range(len(lemmas) - n + 1))
