"""The portfolio report: attention order, Swedish visible text, sanity flags, charts, exports."""

from __future__ import annotations

from pathlib import Path

import base64
import html as htmllib
import io
import re
import shutil

import pytest
import yaml

from analysis.batch.attention import Entry, Names, rank
from analysis.batch.portfolio import build, build_portfolio, load_entries, names_for
from analysis.batch.rows import SanityLimits, add_sanity_flags
from analysis.settings import Settings
from tests.conftest import ROOT

SETTINGS = Settings(embedder="fake")
ENGLISH_WORDS = ("present", "thin", "absent", "error", "warning", "info", "ok", "none", "match", "requested",
                 "granted", "unknown", "decision", "application", "summary", "regional-share", "explicit", "true",
                 "false", "null", "None", "nan")


@pytest.fixture(scope="module")
def names() -> Names:
    return names_for(SETTINGS)


@pytest.fixture(scope="module")
def report(scored, names):
    return build_portfolio(scored.parquet, settings=SETTINGS)


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles, comments, tags or attributes."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def corpus_ids(corpus) -> set[str]:
    ids = {f.id for f in corpus.frameworks} | {i.id for f in corpus.frameworks for i in f.items}
    ids |= {p.id for p in corpus.perspectives.perspectives} | {r.id for r in corpus.rules.rules}
    ids |= {r.id for r in corpus.manifest.regions} | {s.id for s in corpus.headings.sections}
    return ids


def flat(**values):
    row = {"id": values.get("title", "x"), "source": "x.txt", "status": "ok", "region": "orebro", "findings": None,
           "flags": None, "miljo": "present", "barn": "present", "jamstalldhet": "present", "rus_top_score": 0.9,
           "rus_top_name": "Näringsliv och entreprenörskap", "amount_sek": None, "share_percent": None,
           "period_start": None, "period_end": None}
    row.update(values)
    return row


def test_attention_order_on_constructed_rows(names):
    rows = [
        flat(title="bara varning", findings="goals-missing"),
        flat(title="tunt", miljo="thin"),
        flat(title="saknas ett", barn="absent", miljo="thin"),
        flat(title="osäker", rus_top_score=0.2, flags="unsure"),
        flat(title="inget"),
        flat(title="saknas två", barn="absent", jamstalldhet="absent"),
        flat(title="fel", findings="share-above-limit", share_percent=60.0),
        flat(title="fel och saknas", findings="budget-missing;operating-support", miljo="absent"),
        {**dict.fromkeys(flat()), "id": "trasig.pdf", "source": "trasig.pdf", "status": "error",
         "error_type": "unreadable-document", "title": "trasig"},
    ]
    ordered = rank([Entry(flat=row) for row in rows], names)
    assert [e.flat["title"] for e in ordered] == [
        "fel och saknas", "fel", "trasig", "saknas två", "saknas ett", "tunt", "osäker", "bara varning", "inget"]
    assert [e.tier for e in ordered] == ["error"] * 3 + ["absent"] * 2 + ["thin", "unsure", "other", "none"]
    by_title = {e.flat["title"]: e for e in ordered}
    assert by_title["saknas två"].reasons == [
        "Texten tar inte upp barnrättsperspektiv och jämställdhetsperspektiv."]
    assert by_title["trasig"].reasons == ["Dokumentet kunde inte analyseras: dokumentet går inte att läsa."]
    assert "sannolikheten 20 %" in by_title["osäker"].reasons[0].replace("\u00a0", " ")
    assert by_title["inget"].reasons == []
    for entry in ordered[:-1]:
        assert entry.reasons and all(r[0].isupper() and r.endswith(".") for r in entry.reasons)


def test_sanity_flags_use_the_backlog_and_the_corpus(tmp_path):
    rows = [flat(title=f"d{i}", amount_sek=1_000_000 + i * 50_000) for i in range(6)]
    rows += [flat(title="överskott", amount_sek=212_000_000), flat(title="liten", amount_sek=5_000),
             flat(title="andel", share_percent=60.0), flat(title="osäker", rus_top_score=0.2),
             flat(title="tidig", period_start="2019-01-01", period_end="2020-06-30"),
             flat(title="sen", period_start="2029-01-01", period_end="2031-06-30")]
    limits = SanityLimits.load(SETTINGS)
    flags = {r["title"]: r["flags"] for r in add_sanity_flags(rows, limits)}
    assert flags["överskott"] == "amount-outlier" and flags["liten"] == "amount-outlier"
    assert flags["andel"] == "share-above-limit"
    assert flags["tidig"] == flags["sen"] == "period-outside-programme"
    assert flags["osäker"] == "unsure" and flags["d3"] is None
    # the share limit and the programme come from the corpus, not from Python
    corpus = tmp_path / "policy_corpus"
    shutil.copytree(ROOT / "policy_corpus", corpus)
    rules = corpus / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("limit_percent: 50", "limit_percent: 70"),
                     encoding="utf-8")
    rus = corpus / "frameworks" / "orebro-rus-2022-2030.yaml"
    rus.write_text(rus.read_text(encoding="utf-8").replace("start: 2022-01-01", "start: 2018-01-01"), encoding="utf-8")
    looser = SanityLimits.load(Settings(embedder="fake", corpus_dir=corpus))
    assert looser.share_limit == 70
    flags = {r["title"]: r["flags"] for r in add_sanity_flags(rows, looser)}
    assert flags["andel"] is None and flags["tidig"] is None and flags["sen"] == "period-outside-programme"


def test_too_few_amounts_are_not_judged():
    rows = [flat(amount_sek=1_000_000), flat(amount_sek=212_000_000)]
    assert {r["flags"] for r in add_sanity_flags(rows, SanityLimits.load(SETTINGS))} == {None}


def test_parquet_carries_titles_flags_and_full_results(scored, names):
    entries = {e.flat["id"]: e for e in load_entries(scored.parquet, names)}
    assert len(entries) == len(scored.records)
    assert entries["biblioteksbuss.txt"].flat["title"] == "Biblioteksbussen"
    assert entries["d06.txt"].full["result"]["facts"]["share_percent"] == 60.0
    assert "share-above-limit" in entries["d06.txt"].flat["flags"]
    assert entries["tom.txt"].full["status"] == "error"
    jsonl = {e.flat["id"]: e for e in load_entries(scored.jsonl, names)}
    assert {k: e.flat["flags"] for k, e in jsonl.items()} == {k: e.flat["flags"] for k, e in entries.items()}


def test_visible_text_is_swedish_without_ids(report, corpus, scored):
    text = visible_text(report.html)
    swedish = [Path(r.path).read_text(encoding="utf-8") if r.path else r.text for r in scored.records]
    swedish += [s.name for s in corpus.headings.sections] + [p.name for p in corpus.perspectives.perspectives]
    words = set(re.findall(r"[\w-]+", " ".join(swedish).lower()))  # an id that is also a Swedish word is allowed
    forbidden = {i for i in corpus_ids(corpus) if i not in words} | set(ENGLISH_WORDS)
    found = sorted(w for w in forbidden if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))
    assert not found, found
    assert "Texten tar inte upp" in text and "Fel som hindrar beslut" in text and "Biblioteksbussen" in text


def test_every_row_links_to_its_analysis(report):
    page = report.html
    links = re.findall(r'<a href="#(dok-\d+)">', page)
    assert len(links) == 8 and len(set(links)) == 8
    for anchor in links:
        section = re.search(rf'<section class="doc" id="{anchor}".*?</section>', page, re.S).group(0)
        assert "Tillbaka till listan" in section
    d06 = re.search(r'<section class="doc" id="dok-\d+"[^>]*>\s*<h3[^>]*>\d+\. [^<]*</h3>\s*<p class="file">d06\.txt.*?'
                    r'</section>', page, re.S).group(0)
    assert "Horisontella perspektiv" in d06 and "<blockquote>" in d06 and "Förordning (2003:596)" in d06
    assert "Andel över gränsen" in d06


def test_charts_are_legible_and_described(report):
    page = report.html
    figures = re.findall(r'<figure class="chart".*?</figure>', page, re.S)
    assert len(figures) >= 5
    for figure in figures:
        svg = re.search(r"<svg[^>]*>", figure).group(0)
        assert 'role="img"' in svg and "aria-labelledby" in svg and 'width="' in svg and "pt\"" in svg
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", figure)]
        assert sizes and min(sizes) * 4 / 3 >= 11  # SVG user units are points; shown at natural size
        assert "<figcaption" in figure and "<table>" in figure
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)  # self-contained: no external assets


def test_exports_open_in_a_spreadsheet(report, scored, tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from analysis.cli import app

    uri = re.search(r'href="data:application/vnd\.openxmlformats[^;]*;base64,([^"]+)"', report.html).group(1)
    sheet = load_workbook(io.BytesIO(base64.b64decode(uri))).active
    assert sheet.auto_filter.ref and sheet.max_row == 1 + len(scored.records)
    out, xlsx, csv = tmp_path / "r.html", tmp_path / "r.xlsx", tmp_path / "r.csv"
    result = CliRunner().invoke(app, ["report", str(scored.parquet), "--out", str(out), "--xlsx", str(xlsx),
                                      "--csv", str(csv)], env={"POLICYALIGN_EMBEDDER": "fake"})
    assert result.exit_code == 0, result.output
    rows = load_workbook(xlsx).active
    assert [c.value for c in rows[1]][:3] == ["Prioritet", "Grupp", "Dokument"]
    assert [rows.cell(row=i, column=1).value for i in range(2, rows.max_row + 1)] == list(range(1, 9))
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Prioritet;Grupp;Dokument") and len(lines) == 9
    assert any(";660000;60;" in line for line in lines)  # whole numbers without '.0' for Swedish Excel


def test_every_corpus_rule_has_a_swedish_title():
    labels = yaml.safe_load((ROOT / "analysis" / "data" / "labels-sv.yaml").read_text(encoding="utf-8"))
    from analysis.corpus import load_corpus

    rules = {r.id for r in load_corpus(SETTINGS.corpus_dir).rules.rules}
    assert rules <= set(labels["rule"]), "every corpus rule needs a Swedish title in labels-sv.yaml"


def test_report_without_full_results_says_so(scored, names, tmp_path):
    entries = load_entries(scored.parquet, names)
    for entry in entries:
        entry.full = None
    page = build(entries, names).html
    assert "Hela analysen finns inte i indata" in page
