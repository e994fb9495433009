"""Combined matcher: lexical and semantic features through the fitted calibrator."""

from __future__ import annotations

from analysis.corpus.schema import Framework
from analysis.document import Document
from analysis.matching.base import ItemScore, top_evidence
from analysis.matching.calibration import Calibrator
from analysis.matching.lexical import LexicalMatcher
from analysis.matching.semantic import SemanticMatcher
from analysis.matching.supervised import SupervisedMatcher


class CombinedMatcher:
    name = "combined"

    def __init__(self, lexical: LexicalMatcher, semantic: SemanticMatcher, supervised: SupervisedMatcher,
                 calibrator: Calibrator, evidence_limit: int = 3) -> None:
        self.lexical = lexical
        self.semantic = semantic
        self.supervised = supervised
        self.calibrator = calibrator
        self._evidence_limit = evidence_limit

    def score(self, document: Document, framework: Framework) -> list[ItemScore]:
        lexical = {s.item: s for s in self.lexical.score(document, framework)}
        semantic = {s.item: s for s in self.semantic.score(document, framework)}
        supervised = {s.item: s for s in self.supervised.score(document, framework)}
        out = []
        for item in framework.items:
            lex, sem = lexical[item.id], semantic[item.id]
            features = {**lex.features, **sem.features, **supervised[item.id].features}
            probability = self.calibrator.probability(framework.kind, features, item.id)
            # Lexical evidence first (exact words an officer can verify), then the closest sentences.
            evidence = top_evidence(lex.evidence, self._evidence_limit)
            seen = {(e.start, e.end) for e in evidence}
            room = self._evidence_limit - len(evidence)
            evidence += [e for e in sem.evidence if (e.start, e.end) not in seen][:room]
            features["lexical"] = lex.score
            features["semantic"] = sem.score
            out.append(ItemScore(item.id, probability, evidence, self.name, features))
        return out
