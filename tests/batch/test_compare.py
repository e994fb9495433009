"""``policyalign report --compare``: two runs of one backlog with different corpora."""

from __future__ import annotations

import re
import shutil

from typer.testing import CliRunner

from analysis.batch.compare import TOP_COLUMNS, compare
from analysis.batch.portfolio import load_flat, names_for
from analysis.cli import app
from analysis.corpus import load_corpus
from analysis.settings import Settings
from tests.batch.test_portfolio import corpus_ids, visible_text
from tests.conftest import ROOT

NEW_ITEM = """
  - id: kultur-och-fritid
    name: Kultur och fritid
    status: working-name
    source: {document: "RUS 2022–2030", section: "Kultur och fritid"}
    description: >
      Ett rikt kulturliv, bibliotek och fritidsaktiviteter som gör länet attraktivt att bo i och
      ger barn och vuxna tillgång till läsning och kultur i hela länet.
    vocabulary: [kultur, fritid, bibliotek, biblioteksbuss, läsning, {term: idrott, positions: [word, modifier]}]
    examples:
      - Biblioteken erbjuder fler kulturaktiviteter på fritiden.
"""


PERSPECTIVES = [p.id for p in load_corpus(ROOT / "policy_corpus").perspectives.perspectives]


def _outcome(row):
    return (row["status"], *(row.get(c) for c in TOP_COLUMNS), *(row.get(p) for p in PERSPECTIVES),
            frozenset(str(row.get("findings") or "").split(";")))


def test_compare_lists_exactly_the_documents_that_differ(scored, tmp_path):
    from analysis.batch.engine import score_backlog

    corpus = tmp_path / "policy_corpus"
    shutil.copytree(ROOT / "policy_corpus", corpus)
    rus = corpus / "frameworks" / "orebro-rus-2022-2030.yaml"
    rus.write_text(rus.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_ITEM, encoding="utf-8")
    new = tmp_path / "new.parquet"
    score_backlog(scored.records, new, "parquet", settings={"embedder": "fake", "corpus_dir": str(corpus)})

    settings = Settings(embedder="fake", corpus_dir=corpus)
    old_rows, new_rows = load_flat(scored.parquet, settings), load_flat(new, settings)
    old_by_id = {r["id"]: r for r in old_rows}
    differ = {r["id"] for r in new_rows if _outcome(r) != _outcome(old_by_id[r["id"]])}
    assert "biblioteksbuss.txt" in differ and len(differ) < len(new_rows)  # a real change, not everything

    comparison = compare(old_rows, new_rows, names_for(settings))
    assert {d.id for d in comparison.changed} == differ
    assert comparison.unchanged == len(new_rows) - len(differ)
    culture = next(r for r in comparison.item_counts if r["item"] == "Kultur och fritid")
    assert culture["old"] == 0 and culture["new"] >= 1 and culture["diff"] == culture["new"]

    out = tmp_path / "compare.html"
    result = CliRunner().invoke(app, ["report", "--compare", str(scored.parquet), str(new), "--out", str(out)],
                                env={"POLICYALIGN_EMBEDDER": "fake", "POLICYALIGN_CORPUS_DIR": str(corpus)})
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert set(re.findall(r'<tr data-document="([^"]+)"', page)) == differ
    text = visible_text(page)
    ids = {i for i in corpus_ids(load_corpus(corpus)) if "-" in i} | {"present", "thin", "absent", "ok", "error"}
    assert "Kultur och fritid" in text and not [i for i in ids if re.search(rf"(?<![\w-]){i}(?![\w-])", text)]


def test_compare_of_a_run_with_itself_is_empty(scored):
    settings = Settings(embedder="fake")
    rows = load_flat(scored.parquet, settings)
    comparison = compare(rows, rows, names_for(settings))
    assert comparison.changed == [] and comparison.unchanged == len(rows)


def test_compare_needs_existing_files(tmp_path):
    result = CliRunner().invoke(app, ["report", "--compare", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")])
    assert result.exit_code == 2 and "file not found" in result.output
