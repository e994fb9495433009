"""Ingest is linear on any input: ten times the input takes about ten times as long, never a hundred.

Hypothesis picks the shape (digit runs, hyphen line ends, whitespace runs, one huge line, nested
bullets, control characters) and its unit; the test compares the time for n and 10·n copies.
The bound is a ratio, not an absolute time, so a slow machine does not fail it.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.ingest.normalise import normalise

SHAPES = {
    "digits": lambda unit, n: "Beloppet är " + "1" * n * len(unit),
    "hyphen-lines": lambda unit, n: f"{unit}-\n" * n,
    "whitespace": lambda unit, n: "a" + " \t\u00a0" * n + "b",
    "one-line": lambda unit, n: f"{unit} " * n,
    "bullets": lambda unit, n: "".join(f"{' ' * (i % 40)}- {unit}\n" for i in range(n)),
    "wrapped": lambda unit, n: (f"{unit} " * 12 + "\n") * n,
}
QUADRATIC_WOULD_BE = 100  # 10x input: linear ≈ 10, quadratic ≈ 100


def _seconds(function, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def _growth(shape: str, unit: str, n: int, function) -> float:
    small, large = SHAPES[shape](unit, n), SHAPES[shape](unit, 10 * n)
    return _seconds(function, large) / max(_seconds(function, small), 1e-4)


def _normalise(text: str) -> str:
    return normalise(text, is_word=lambda word: len(word) % 2 == 0)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(shape=st.sampled_from(sorted(SHAPES)), unit=st.sampled_from(["genomför", "Tech", "ab", "miljö"]))
def test_normalise_grows_linearly(shape, unit):
    assert _growth(shape, unit, 3000, _normalise) < QUADRATIC_WOULD_BE / 2.5
