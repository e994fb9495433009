"""The one core: ingest → sections → sentences → (matching, perspectives, facts, rules) → result.

The CLI, the HTTP service and bulk scoring all call ``Analyzer``; none of them
re-implements analysis. Construction loads the corpus and models once;
``analyze`` is then cheap enough to call while an applicant types.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from analysis import ingest
from analysis.corpus import cached_corpus
from analysis.corpus.schema import Framework, PolicyCorpus
from analysis.document import Document
from analysis.embeddings import Embedder, get_embedder
from analysis.deadline import checkpoint
from analysis.errors import DocumentTooLargeError, LanguageNotSupportedError
from analysis.facts import FactExtractor, ranker_path
from analysis.facts.ranker import FactRanker
from analysis.ingest import SourceText
from analysis.ingest.language import load_identifier
from analysis.matching.base import Explanation, ItemScore
from analysis.matching.calibration import Calibrator, calibrator_path
from analysis.matching.combined import CombinedMatcher
from analysis.matching.lexical import LexicalMatcher
from analysis.matching.ranking import is_explicit, order
from analysis.matching.semantic import SemanticMatcher
from analysis.matching.supervised import MODEL_FILE, SupervisedMatcher, SupervisedModel
from analysis.nlp import build_nlp, is_swedish_word, sentences_of
from analysis.nlp.terms import TermIndex
from analysis.perspectives import PerspectiveAnalyzer
from analysis.result import (
    AnalysisResult,
    DocumentOut,
    Alignment,
    MatcherScore,
    SectionOut,
    Versions,
)
from analysis.rules import RuleEngine
from analysis.sections import HeadingMapper, document_kind, segment
from analysis.settings import Settings, get_settings

LANGUAGE_CONFIDENCE_TO_REFUSE = 0.9


def settle_process(settings: Settings) -> None:
    """Once the models are loaded and warmed, in a process that goes on analysing (or serving): they leave the
    cyclic GC's reach (gc.freeze; otherwise every full collection walks millions of objects and stalls a request
    ~0.4 s), and young collections come less often. An analysis frees nearly all it makes by reference counting,
    yet at Python's threshold of 700 it ran two young collections each (~0.5 ms of ~20 ms); at 5 000 one in 40
    analyses runs, and memory stays within 2–3 MB of the default's (benchmarks/memory_growth.py)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(settings.gc_young_threshold, *gc.get_threshold()[1:])


@lru_cache(maxsize=1)
def software_version() -> str:
    """Read once: package metadata parsing (the README included) cost 17 % of a short request."""
    try:
        return version("policyalign")
    except PackageNotFoundError:
        return "0+source"


@dataclass
class Analyzer:
    """Holds everything loaded once: corpus, pipeline, embedder, matchers, rules."""

    settings: Settings
    corpus: PolicyCorpus
    embedder: Embedder
    calibrator: Calibrator
    fact_ranker: FactRanker
    supervised_model: SupervisedModel
    _versions: tuple[tuple, dict[str, str]] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def create(cls, settings: Settings | None = None, *, corpus: PolicyCorpus | None = None,
               embedder: Embedder | None = None, calibrator: Calibrator | None = None,
               fact_ranker: FactRanker | None = None, supervised: SupervisedModel | None = None) -> Analyzer:
        settings = settings or get_settings()
        corpus = corpus or cached_corpus(str(settings.corpus_dir))
        embedder = embedder or get_embedder(settings.embedder, str(settings.models_dir))
        calibrator = calibrator or Calibrator.load(calibrator_path(settings.models_dir, embedder.name))
        fact_ranker = fact_ranker or FactRanker.load(ranker_path(settings.models_dir))
        supervised = supervised or SupervisedModel.load(settings.models_dir / MODEL_FILE)
        return cls(settings, corpus, embedder, calibrator, fact_ranker, supervised)

    def __post_init__(self) -> None:
        limit = self.settings.evidence_per_item
        self.mapper = HeadingMapper(self.corpus.headings, self.corpus.perspectives)
        terms = TermIndex()  # one vocabulary scan per sentence, shared by lexical matching and perspectives
        self.lexical = LexicalMatcher(self.corpus.headings, limit, terms)
        self.semantic = SemanticMatcher(self.embedder, self.corpus.headings, limit)
        self.supervised = SupervisedMatcher(self.supervised_model)
        self.matcher = CombinedMatcher(self.lexical, self.semantic, self.supervised, self.calibrator, limit)
        self.perspectives = PerspectiveAnalyzer(self.corpus.perspectives, limit, terms)
        self.rules = RuleEngine(self.corpus.rules)
        self.facts = FactExtractor(self.corpus, self.fact_ranker)
        self.semantic.warm(self.corpus.frameworks)
        self.lexical.warm(self.corpus.frameworks)
        self.limits = ingest.IngestLimits.from_settings(self.settings)

    def warm_up(self) -> None:
        """Run one small analysis so lazy imports and first-use caches are paid before traffic arrives."""
        examples = [example for framework in self.corpus.frameworks for item in framework.items
                    for example in item.examples[:1]]
        text = "Syfte\n" + " ".join(examples) + "\n\nJämställdhet\nProjektet berör inte barn eller miljö."
        load_identifier()  # a clearly Swedish text never asks it; first, while the caches are empty (peak memory)
        self.analyze(self.read_text(text), include_text=True).model_dump_json()

    # ---- ingest: every way in ends as a SourceText ------------------------------------------
    @property
    def _ingest_options(self) -> dict:
        return {"is_word": is_swedish_word, "keep_line": self.mapper.is_known_heading, "limits": self.limits}

    def read_path(self, path: Path | str) -> SourceText:
        return ingest.read_path(path, **self._ingest_options)

    def read_upload(self, data: bytes, filename: str) -> SourceText:
        return ingest.read_upload(data, filename, **self._ingest_options)

    def read_text(self, text: str, source: str | None = None) -> SourceText:
        return ingest.from_text(text, source, **self._ingest_options)

    def read_fields(self, fields: Mapping[str, str], title: str | None = None, source: str | None = None) -> SourceText:
        return ingest.from_fields(fields, title, source, **self._ingest_options)

    # ---- the analysis -----------------------------------------------------------------------
    def prepare(self, source: SourceText, document_id: str | None = None) -> Document:
        """Sections and sentences; checks the limits every caller must respect."""
        if len(source.text) > self.settings.max_text_chars:
            raise DocumentTooLargeError(
                f"the text has {len(source.text)} characters; the limit is {self.settings.max_text_chars}",
                source=source.source)
        if (self.settings.require_swedish and source.language != "sv"
                and source.language_confidence >= LANGUAGE_CONFIDENCE_TO_REFUSE):
            raise LanguageNotSupportedError(
                f"the text is in language {source.language!r}, not Swedish", source=source.source)
        sections = segment(source.text, self.mapper, source.heading_hints)
        bodies = [(index, source.text[s.start : s.end], s.start) for index, s in enumerate(sections)]
        sentences = []
        for (index, body, offset), doc in zip(bodies, build_nlp().pipe(body for _, body, _ in bodies), strict=True):
            sentences.extend(sentences_of(doc, offset, index, body))
            checkpoint()
        return Document(
            id=document_id or _document_id(source),
            source=source.source,
            text=source.text,
            language=source.language,
            kind=document_kind(sections),
            sections=sections,
            sentences=sentences,
        )

    def embed(self, documents: Sequence[Document]) -> None:
        """Sentence vectors for many documents in one encoder call (bulk scoring batches here)."""
        texts = [s.text for d in documents for s in d.sentences]
        vectors = self.embedder.encode(texts) if texts else np.zeros((0, self.embedder.dim), dtype=np.float32)
        offset = 0
        for document in documents:
            document.vectors = vectors[offset : offset + len(document.sentences)]
            offset += len(document.sentences)

    def frameworks(self, region: str | None) -> list[Framework]:
        return self.corpus.frameworks_for(region or self.settings.region)

    def align(self, document: Document, framework: Framework) -> list[Alignment]:
        """Items ranked by calibrated score, except that an item the text names as its own priority
        ("ligger inom det prioriterade området …") comes first: the text's own word outranks inference."""
        by_item = {s.item: s for s in self.matcher.score(document, framework)}
        ranked = order((s.item, s.score, is_explicit(s.features)) for s in by_item.values())
        names = {item.id: item.name for item in framework.items}
        threshold = self.calibrator.threshold
        return [
            Alignment(framework=framework.id, item=item, name=names[item], score=round(score, 4), rank=rank,
                      match=score >= threshold or explicit or (rank == 1 and not framework.allows_none),
                      explicit=explicit, evidence=by_item[item].evidence, contributions=_contributions(by_item[item]))
            for rank, (item, score, explicit) in enumerate(ranked, start=1)
        ]

    def analyze_document(self, document: Document, region: str | None = None,
                         include_text: bool = False) -> AnalysisResult:
        if document.vectors is None:
            self.embed([document])
        region_id = self.corpus.region(region or self.settings.region).id
        checkpoint()
        alignments = [a for framework in self.frameworks(region_id) for a in self.align(document, framework)]
        checkpoint()
        facts = self.facts.extract(document)
        checkpoint()
        return AnalysisResult(
            document=DocumentOut(
                id=document.id,
                source=document.source,
                language=document.language,
                kind=document.kind,
                char_count=len(document.text),
                sections=[
                    SectionOut(
                        id=s.id,
                        heading=s.heading,
                        start=s.heading_start if s.heading_start is not None else s.start,
                        end=s.end,
                        perspectives=list(s.perspectives),
                    )
                    for s in document.sections
                ],
                text=document.text if include_text else None,
            ),
            alignments=alignments,
            perspectives=self.perspectives.analyze(document),
            facts=facts,
            findings=self.rules.evaluate(document, facts),
            versions=self.versions(region_id),
        )

    def analyze(self, source: SourceText, region: str | None = None, include_text: bool = False,
                document_id: str | None = None) -> AnalysisResult:
        """The core entry point: one normalised source in, the result contract out."""
        return self.analyze_document(self.prepare(source, document_id), region, include_text)

    def versions(self, region: str) -> Versions:
        return Versions(software=software_version(), corpus=self.corpus.version, region=region,
                        models=dict(self._model_versions()))

    def _model_versions(self) -> dict[str, str]:
        """The loaded models' content hashes, computed once per set of models: hashing the supervised
        matcher's weights on every analysis was 7 % of its instructions."""
        models = (self.embedder, self.calibrator, self.fact_ranker, self.supervised_model)
        cached = self._versions
        if cached is None or any(now is not then for now, then in zip(models, cached[0], strict=True)):
            cached = self._versions = (models, {
                "embedder": f"{self.embedder.name}:{self.embedder.version}", "calibrator": self.calibrator.version,
                "fact_ranker": self.fact_ranker.version, "supervised": self.supervised_model.version})
        return cached[1]

    def explain(self, document: Document, item_id: str, region: str | None = None) -> Explanation:
        """Each matcher's view of one item, for ``policyalign explain``."""
        if document.vectors is None:
            self.embed([document])
        for framework in self.frameworks(region):
            if any(item.id == item_id for item in framework.items):
                pick = lambda scores: next(s for s in scores if s.item == item_id)  # noqa: E731
                return Explanation(framework, pick(self.lexical.score(document, framework)),
                                   pick(self.semantic.score(document, framework)),
                                   pick(self.matcher.score(document, framework)))
        from analysis.errors import UnknownItemError

        raise UnknownItemError(
            f"no item {item_id!r} in the frameworks of region {region or self.corpus.manifest.default_region!r}"
        )


def _contributions(score: ItemScore) -> list[MatcherScore]:
    return [MatcherScore(matcher=name, score=round(float(value), 4)) for name, value in score.contributions.items()]


def _document_id(source: SourceText) -> str:
    if source.source:
        return Path(source.source).stem
    return "doc-" + hashlib.sha1(source.text.encode()).hexdigest()[:12]
