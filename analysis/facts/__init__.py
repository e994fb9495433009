"""Facts: the amount asked from (or granted by) the region, its share of costs, the project period.

Candidates come from candidates.py, probabilities from the fitted ranker. The
best candidate of each kind is the fact if its probability clears the ranker's
threshold; otherwise the fact stays empty and the result still lists what the
tool considered, so an officer sees the alternatives ("osäker") and why.
"""

from __future__ import annotations

from pathlib import Path

from analysis.corpus.schema import PolicyCorpus, Veto
from analysis.document import Document
from analysis.facts.candidates import FACT_KINDS, Candidate, CandidateGenerator, FactKind
from analysis.facts.ranker import FactRanker
from analysis.result import Evidence, FactCandidate, Facts, Period, fact_source

CANDIDATES_SHOWN = 3
RANKER_FILE = "fact-ranker/ranker.json"


def ranker_path(models_dir: Path) -> Path:
    return models_dir / RANKER_FILE


class FactExtractor:
    def __init__(self, corpus: PolicyCorpus, ranker: FactRanker) -> None:
        self.generator = CandidateGenerator(corpus.facts, list(corpus.manifest.regions), corpus.headings)
        self.vetoes = corpus.facts.vetoes
        ranker.check(self.generator.feature_names)
        self.ranker = ranker

    def scored(self, document: Document) -> dict[FactKind, list[tuple[float, Candidate]]]:
        """Every candidate with its probability, best first."""
        return self.score(self.generator.generate(document), self.ranker)

    def score(self, candidates: dict[FactKind, list[Candidate]],
              ranker: FactRanker) -> dict[FactKind, list[tuple[float, Candidate]]]:
        """Probabilities from `ranker` (evaluation passes a held-out one); a vetoed candidate gets 0."""
        return {fact: sorted(((0.0 if vetoed(c, self.vetoes) else ranker.probability(fact, c.features), c)
                              for c in found), key=lambda pc: (-pc[0], pc[1].start))
                for fact, found in candidates.items()}

    def extract(self, document: Document) -> Facts:
        return facts_from(document, self.scored(document), self.ranker)


def vetoed(candidate: Candidate, vetoes: list[Veto]) -> bool:
    """A corpus veto applies: the candidate cannot be the fact (its probability becomes 0)."""
    return any(veto.fact == candidate.fact and any(candidate.features.get(w) for w in veto.when)
               and not any(candidate.features.get(u) for u in veto.unless) for veto in vetoes)


def facts_from(document: Document, scored: dict[FactKind, list[tuple[float, Candidate]]],
               ranker: FactRanker) -> Facts:
    """The contract's Facts from ranked candidates (also used by evaluation with a held-out ranker)."""
    chosen: dict[FactKind, Candidate | None] = {}
    for fact in FACT_KINDS:
        best = scored[fact][0] if scored[fact] else None
        chosen[fact] = best[1] if best and best[0] >= ranker.threshold(fact) else None
    amount, share, period = chosen["amount"], chosen["share"], chosen["period"]
    first, last = period.value if period else (None, None)  # type: ignore[misc]
    evidence = [_evidence(document, c, fact_source(fact)) for fact, c in chosen.items() if c is not None]
    shown = [_candidate_out(document, fact, p, c, c is chosen[fact])
             for fact in FACT_KINDS for p, c in _distinct(scored[fact])[:CANDIDATES_SHOWN]]
    return Facts(
        amount_sek=int(round(amount.value)) if amount else None,  # type: ignore[arg-type]
        amount_role=amount.role if amount else None,
        share_percent=round(float(share.value), 2) if share else None,  # type: ignore[arg-type]
        period=Period(start=first, end=last),
        evidence=evidence,
        candidates=shown,
    )


def _distinct(scored: list[tuple[float, Candidate]]) -> list[tuple[float, Candidate]]:
    """One entry per value: the same amount written twice is one alternative, at its best probability."""
    seen, out = set(), []
    for p, c in scored:
        if c.value not in seen:
            seen.add(c.value)
            out.append((p, c))
    return out


def _evidence(document: Document, candidate: Candidate, source: str) -> Evidence:
    sentence = document.sentences[candidate.sentence]
    return Evidence(text=sentence.text, start=sentence.start, end=sentence.end, score=1.0, source=source)


def _candidate_out(document: Document, fact: FactKind, probability: float, candidate: Candidate,
                   chosen: bool) -> FactCandidate:
    value = candidate.value
    first, last = value if isinstance(value, tuple) else (None, None)
    return FactCandidate(
        fact=fact, probability=round(probability, 4), chosen=chosen,
        mention=document.text[candidate.start : candidate.end],
        amount_sek=int(round(value)) if fact == "amount" else None,  # type: ignore[arg-type]
        share_percent=round(float(value), 2) if fact == "share" else None,  # type: ignore[arg-type]
        start=first, end=last,
        evidence=_evidence(document, candidate, fact_source(fact)),
    )
