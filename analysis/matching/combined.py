"""Combined matcher: every registered matcher's features through the fitted calibrator."""

from __future__ import annotations

from analysis.corpus.schema import Framework
from analysis.document import Document
from analysis.matching.base import ItemScore, top_evidence
from analysis.matching.calibration import Calibrator
from analysis.matching.features import merged
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
        parts = [{s.item: s for s in matcher.score(document, framework)}
                 for matcher in (self.lexical, self.semantic, self.supervised)]
        lexical, semantic = parts[0], parts[1]
        out = []
        for item in framework.items:
            scores = [part[item.id] for part in parts]
            features = merged(*(s.features for s in scores))
            probability = self.calibrator.probability(framework.kind, features)
            # Lexical evidence first (exact words an officer can verify), then the closest sentences.
            evidence = top_evidence(lexical[item.id].evidence, self._evidence_limit)
            seen = {(e.start, e.end) for e in evidence}
            room = self._evidence_limit - len(evidence)
            evidence += [e for e in semantic[item.id].evidence if (e.start, e.end) not in seen][:room]
            out.append(ItemScore(item.id, probability, evidence, self.name, features,
                                 contributions={s.matcher: s.score for s in scores}))
        return out
