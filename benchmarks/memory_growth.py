"""Benchmark (not a test): resident memory of one worker over a long run of never-seen words.

Each document mixes labelled-set sentences with made-up words (random letters,
so every one is new to every cache: lemmas, compound splits, spaCy's
vocabulary). A worker must level off, not grow with every new word. Prints
RSS after loading and every ``--every`` documents.
Usage: python benchmarks/memory_growth.py [--documents 3000] [--every 500]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from documents import distinct_documents

from analysis.pipeline import Analyzer, settle_process
from analysis.settings import Settings

LETTERS = "abcdefghijklmnoprstuvyåäö"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def with_new_words(text: str, rng: random.Random, share: float = 0.3) -> str:
    """Every ``share`` of the words replaced by a made-up one (some as compounds of a real word)."""
    words = text.split(" ")
    for index in range(len(words)):
        if rng.random() < share and words[index].isalpha():
            made_up = "".join(rng.choice(LETTERS) for _ in range(rng.randint(5, 14)))
            words[index] = made_up + (words[index].lower() if rng.random() < 0.5 else "")
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--every", type=int, default=500)
    args = parser.parse_args()
    analyzer = Analyzer.create(Settings())
    analyzer.warm_up()
    settle_process(analyzer.settings)  # as a service or bulk worker does
    print(f"after loading and warm-up: {rss_mb():.0f} MB")
    rng = random.Random(15)
    texts = distinct_documents(200)
    started = time.perf_counter()
    for number in range(1, args.documents + 1):
        text = with_new_words(texts[number % len(texts)], rng)
        analyzer.analyze(analyzer.read_text(text))
        if number % args.every == 0:
            print(f"{number:>6} documents (~{number * 130:,} made-up words): {rss_mb():.0f} MB "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
