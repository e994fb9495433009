"""The policy corpus: schema, loading and validation."""

from analysis.corpus.loader import cached_corpus, corpus_json_schema, load_corpus
from analysis.corpus.schema import Framework, Perspective, PolicyCorpus, PolicyItem, Term

__all__ = [
    "Framework",
    "Perspective",
    "PolicyCorpus",
    "PolicyItem",
    "Term",
    "cached_corpus",
    "corpus_json_schema",
    "load_corpus",
]
