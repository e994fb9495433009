"""Semantic matcher: sentence embeddings against each item's description, orientations and examples.

Item vectors are computed once per framework and embedder and cached; the
document's sentence vectors come from the pipeline, which batches them
across documents in bulk runs.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from analysis.corpus.schema import Framework, HeadingLexicon, PolicyItem
from analysis.document import Document
from analysis.embeddings import Embedder
from analysis.matching.base import ItemScore, top_evidence
from analysis.matching.features import Feature
from analysis.matching.registry import register
from analysis.result import Evidence

TOP_K = 3
MIN_SENTENCE_WORDS = 4


def top_k_mean(per_item: np.ndarray) -> np.ndarray:
    """Each item's score from a sentences × items similarity matrix: the mean of its TOP_K best sentences
    (fewer when the text has fewer), so one lucky sentence does not decide."""
    k = min(TOP_K, len(per_item))
    return np.sort(per_item, axis=0)[-k:].mean(axis=0)


def item_texts(item: PolicyItem) -> list[str]:
    """What an item 'means' to the embedder: its name with description, orientations, examples."""
    return [f"{item.name}. {item.description.strip()}", *item.orientations, *item.examples]


@register("semantic")
class SemanticMatcher:
    name: ClassVar[str]  # set by @register
    features = (Feature.SEMANTIC_Z, Feature.SEMANTIC_TOP)
    score_range = (-1.0, 1.0)  # a mean of cosine similarities

    def __init__(self, embedder: Embedder, headings: HeadingLexicon, evidence_limit: int = 3) -> None:
        self.embedder = embedder
        self._headings = headings
        self._evidence_limit = evidence_limit
        self._items: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _item_matrix(self, framework: Framework) -> tuple[np.ndarray, np.ndarray]:
        """(vectors, owner item index per vector), computed once per framework."""
        if framework.id not in self._items:
            texts, owners = [], []
            for index, item in enumerate(framework.items):
                for text in item_texts(item):
                    texts.append(text)
                    owners.append(index)
            self._items[framework.id] = (self.embedder.encode(texts), np.asarray(owners))
        return self._items[framework.id]

    def warm(self, frameworks: list[Framework]) -> None:
        for framework in frameworks:
            self._item_matrix(framework)

    def score(self, document: Document, framework: Framework) -> list[ItemScore]:
        vectors, owners = self._item_matrix(framework)
        n_items = len(framework.items)
        usable = [i for i, s in enumerate(document.sentences)
                  if len(s.tokens) >= MIN_SENTENCE_WORDS and self._headings.weight_of(document.section_of(s).id) > 0.25]
        if not usable or document.vectors is None:
            return [ItemScore(item.id, 0.0, [], self.name, {Feature.SEMANTIC_TOP: 0.0, Feature.SEMANTIC_Z: 0.0})
                    for item in framework.items]
        sims = document.vectors[usable] @ vectors.T  # sentences × item texts
        per_item = np.full((len(usable), n_items), -1.0, dtype=np.float32)
        for index in range(n_items):
            per_item[:, index] = sims[:, owners == index].max(axis=1)
        top = top_k_mean(per_item)
        spread = float(top.std()) or 1.0
        z = (top - top.mean()) / spread
        results = []
        for index, item in enumerate(framework.items):
            best = np.argsort(-per_item[:, index])[: self._evidence_limit]
            evidence = [
                Evidence(text=document.sentences[usable[b]].text, start=document.sentences[usable[b]].start,
                         end=document.sentences[usable[b]].end, score=round(float(per_item[b, index]), 4),
                         source=self.name)
                for b in best
            ]
            results.append(ItemScore(item.id, float(top[index]), top_evidence(evidence, self._evidence_limit),
                                     self.name, {Feature.SEMANTIC_TOP: float(top[index]),
                                                Feature.SEMANTIC_Z: float(z[index])}))
        return results
