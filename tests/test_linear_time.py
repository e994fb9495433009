"""Analysis time grows linearly with the text for every shape of input (ratios, never absolute times).

Each worst-case shape is analyzed at 1× and 10× its size; a linear pipeline
takes about 10× as long, a quadratic path about 100×. The bound (25×) is
generous because the machine is shared and small inputs carry fixed costs.
Per-call caches are cleared before each timing so both sizes pay for new words.
"""

from __future__ import annotations

import contextlib

import time
from collections.abc import Callable

import pytest

from analysis.errors import PolicyAlignError

SENTENCES = (
    "Projektet stärker små företags förmåga att exportera till nya marknader.",
    "Vi erbjuder rådgivning om kompetensförsörjning i samverkan med kommunerna.",
    "Deltagandet följs upp uppdelat på kvinnor och män varje kvartal.",
    "Insatserna minskar klimatpåverkan från godstransporter i regionen.",
    "Barn och unga berörs inte direkt av projektets aktiviteter.",
)
SIZE = 12_000  # characters at 1×
GROWTH, BOUND = 10, 25


def prose(n: int) -> str:
    """Paragraphs of sentences and no heading at all."""
    out, i = [], 0
    while sum(map(len, out)) < n:
        out.append(" ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(4)) + "\n\n")
        i += 1
    return "".join(out)


def one_line(n: int) -> str:
    return prose(n).replace("\n", " ")


def bullets(n: int) -> str:
    return "Aktiviteter\n" + "".join(f"• {SENTENCES[i % 5][:-1]}\n" for i in range(n // 70))


def nested_bullets(n: int) -> str:
    return "Aktiviteter\n" + "".join(
        f"{'  ' * (i % 12)}{'•-–*'[i % 4]} {SENTENCES[i % 5][:40]}\n" for i in range(n // 60)
    )


def digit_runs(n: int) -> str:
    return SENTENCES[0] + " " + " ".join("1234567890" * 5 for _ in range(n // 51)) + " " + SENTENCES[1]


def hyphen_runs(n: int) -> str:
    return SENTENCES[0] + "\n" + " ".join(["miljö-, barn- och jämställdhets- samt"] * (n // 80)) + " " + \
        "-" * (n // 2) + "\n" + SENTENCES[1]


def whitespace_runs(n: int) -> str:
    return SENTENCES[0] + (" " * 50 + "\n" * 3 + "\t" * 20 + SENTENCES[2] + "\n") * (n // 140)


def _clear_caches() -> None:
    from analysis.nlp import compounds, lemmas, pipeline

    for cached in (compounds.split_compound, compounds._split, lemmas.lemma, pipeline.term_keys):
        cached.cache_clear()


def _seconds(analyzer, text: str) -> float:
    _clear_caches()
    started = time.process_time()
    with contextlib.suppress(PolicyAlignError):  # a refusal is an answer too; its time counts the same
        analyzer.analyze(analyzer.read_text(text))
    return time.process_time() - started


SHAPES: dict[str, Callable[[int], str]] = {
    "prose without headings": prose, "one huge line": one_line, "long bullet list": bullets,
    "deep bullet nesting": nested_bullets, "long digit runs": digit_runs, "hyphen runs": hyphen_runs,
    "whitespace runs": whitespace_runs,
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_ten_times_the_text_takes_about_ten_times_as_long(analyzer, shape: str) -> None:
    make = SHAPES[shape]
    small, large = make(SIZE), make(GROWTH * SIZE)
    assert len(large) >= 0.8 * GROWTH * len(small)
    _seconds(analyzer, small)  # first-use costs are not growth
    ratio = min(_seconds(analyzer, large) for _ in range(2)) / min(_seconds(analyzer, small) for _ in range(3))
    assert ratio < BOUND, f"{shape}: 10× the text took {ratio:.0f}× as long"
