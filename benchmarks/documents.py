"""Distinct documents for the benchmarks: sentences shuffled across the labelled sets into new texts.

Repeating the same few texts measures warm caches only (every word's lemma,
compound split and tokenisation is remembered after the first round). These
documents are new texts: headings and sentences drawn from tests/data/devset,
devset2 and realdev, deterministically from a seed, so two runs (or two
versions of the code) see the same documents.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from analysis.ingest.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent
SETS = ("devset", "devset2", "realdev")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9•–-])")


def labelled_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for name in SETS
            for path in sorted((ROOT / "tests" / "data" / name).glob("*.txt"))]


@lru_cache(maxsize=1)
def _pieces() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(heading lines, sentences) of every labelled text, normalised the way ingest does."""
    headings: set[str] = set()
    sentences: list[str] = []
    for text in labelled_texts():
        for line in normalise(text, is_word=lambda word: False).split("\n"):
            words = line.split()
            if not words:
                continue
            if len(words) <= 6 and line[:1].isupper() and not line.endswith((".", ",", ";")):
                headings.add(line)
            else:
                sentences.extend(s for s in _SENTENCE_END.split(line) if len(s.split()) >= 3)
    return tuple(sorted(headings)), tuple(dict.fromkeys(sentences))


def distinct_documents(count: int, words: int = 450, seed: int = 15) -> list[str]:
    """``count`` new documents of about ``words`` words: sections of a heading and 2–5 sentences."""
    headings, sentences = _pieces()
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        parts, size = [], 0
        while size < words:
            body = " ".join(rng.sample(sentences, rng.randint(2, 5)))
            parts.append(f"{rng.choice(headings)}\n{body}")
            size += len(body.split()) + 2
        documents.append("\n\n".join(parts))
    return documents


def warm_documents(count: int, words: int = 450) -> list[str]:
    """The warm case: the same few texts again and again (what a cache-friendly benchmark measures)."""
    return (distinct_documents(8, words, seed=1) * (count // 8 + 1))[:count]
