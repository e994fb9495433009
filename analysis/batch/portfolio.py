"""The portfolio report: one self-contained HTML page over a bulk run.

Input: the output of ``policyalign score``. JSONL and Parquet carry every document's full result (Parquet in
its ``result_json`` column), so each document gets a section with evidence, reasons, facts and findings. A CSV
holds flat columns only; its run's journal (``X.csv.journal.jsonl``) is read for the full results when present.
"""

from __future__ import annotations

import base64
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.batch.attention import Entry, Names, percent, rank, sek, span
from analysis.batch.charts import Chart, Segment, bars, stacked
from analysis.batch.export import headers, xlsx_bytes
from analysis.batch.outputs import RESULT_COLUMN, read_rows
from analysis.batch.rows import SanityLimits, add_sanity_flags, flatten
from analysis.corpus.schema import FRAMEWORK_KINDS
from analysis.labels import sv

if TYPE_CHECKING:
    from analysis.settings import Settings

TEMPLATES = Path(__file__).with_name("templates")
STATUS_STYLE = {"present": ("#1e7b34", ""), "thin": ("#e0a526", "//"), "absent": ("#b42318", "xx")}
QUOTES_PER_ITEM = 2


def _read_parquet(path: Path) -> list[Entry]:
    import pyarrow.parquet as pq

    entries = []
    for row in pq.read_table(path).to_pylist():
        full = row.pop(RESULT_COLUMN, None)
        entries.append(Entry(flat=row, full=json.loads(full) if full else None))
    return entries


def _read_csv(path: Path) -> list[Entry]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        flat = [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]
    journal = path.with_name(path.name + ".journal.jsonl")
    full = {row["id"]: row for row in read_rows(journal)} if journal.is_file() else {}
    return [Entry(flat=row, full=full.get(row["id"])) for row in flat]


def load_entries(path: Path, names: Names) -> list[Entry]:
    """Every document of a run (JSONL, CSV or Parquet), with sanity flags (computed here for JSONL); a JSONL
    run is flattened with the corpus's perspectives (``names``)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        entries = _read_parquet(path)
    elif suffix == ".csv":
        entries = _read_csv(path)
    else:
        entries = [Entry(flat=flatten(row, list(names.perspectives)), full=row) for row in read_rows(path)]
    if any("flags" not in e.flat for e in entries) or suffix not in (".parquet", ".csv"):
        add_sanity_flags([e.flat for e in entries], names.limits)
    return entries


def load_flat(path: Path, settings: Settings | None = None) -> list[dict[str, Any]]:
    """Flat rows of a run, flags included (what ``--compare`` and spreadsheets use)."""
    return [e.flat for e in load_entries(path, names_for(settings))]


@lru_cache(maxsize=4)
def _names(corpus_dir: str, settings_json: str) -> Names:
    from analysis.corpus import load_corpus
    from analysis.settings import Settings

    settings = Settings(**json.loads(settings_json))
    corpus = load_corpus(Path(corpus_dir))
    return Names.from_corpus(corpus, SanityLimits.from_corpus(corpus, settings))


def names_for(settings: Settings | None = None) -> Names:
    from analysis.settings import Settings

    settings = settings or Settings()
    return _names(str(settings.corpus_dir), settings.model_dump_json(include={
        "portfolio_unsure_below", "portfolio_amount_factor", "portfolio_min_amounts"}))


# ---- one document: the table row and its analysis section -------------------------------------------

def _file_name(flat: dict[str, Any]) -> str:
    return Path(str(flat.get("source") or flat["id"])).name


def _perspective_cells(entry: Entry, names: Names) -> list[dict[str, str]]:
    return [{"id": p, "name": names.perspectives.get(p, p), "status": entry.flat.get(p) or "",
             "label": sv("perspective_status", entry.flat[p]) if entry.flat.get(p) else "–"}
            for p in names.required]


def _item_ids(flat: dict[str, Any]) -> list[str]:
    ids: list[Any] = []  # the top cell may be empty (None)
    for prefix in FRAMEWORK_KINDS:
        ids += [flat.get(f"{prefix}_top"), *str(flat.get(f"{prefix}_matches") or "").split(";")]
    return sorted({i for i in ids if i})


def export_record(entry: Entry, names: Names) -> list[Any]:
    """The document's line in the CSV/XLSX export (columns as export.headers)."""
    flat = entry.flat
    region = names.regions.get(flat.get("region") or "", "")
    dated = flat.get("period_start") or flat.get("period_end")
    return ([entry.rank, sv("attention_tier", entry.tier), flat.get("title") or _file_name(flat), _file_name(flat),
             sv("document_kind", flat["kind"]) if flat.get("kind") else "", region, flat.get("rus_top_name") or ""]
            + [c["label"] for c in _perspective_cells(entry, names)]
            + [flat.get("amount_sek"), flat.get("share_percent"),
               span(flat.get("period_start"), flat.get("period_end")) if dated else "",
               ", ".join(sv("sanity_flag", f) for f in entry.split("flags")), " ".join(entry.reasons)])


def _quotes(evidence: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for e in evidence[:QUOTES_PER_ITEM]]


def _alignment_groups(result: dict[str, Any], names: Names) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alignment in result["alignments"]:
        if alignment["rank"] <= 3:
            groups[alignment["framework"]].append({
                "name": names.items.get(alignment["item"], alignment["name"]),
                "score": percent(100 * alignment["score"]),
                "match": alignment["match"], "explicit": alignment.get("explicit", False),
                "quotes": _quotes(alignment["evidence"])})
    return [{"name": names.frameworks.get(fid, fid), "alignments": items} for fid, items in groups.items()]


def _detail(entry: Entry, names: Names) -> dict[str, Any] | None:
    """The full analysis of one document, all in Swedish, or None when the input had no full result."""
    result = (entry.full or {}).get("result")
    if not result:
        return None
    facts = result["facts"]
    role = facts.get("amount_role")
    return {
        "sections": list(dict.fromkeys(names.sections[s["id"]] for s in result["document"]["sections"]
                                       if s["id"] in names.sections)),
        "frameworks": _alignment_groups(result, names),
        "perspectives": [{"name": p["name"], "required": p["required"], "status": p["status"],
                          "label": sv("perspective_status", p["status"]), "reasons": p["reasons"],
                          "quotes": _quotes(p["evidence"])} for p in result["perspectives"]],
        "facts": {"amount": sek(facts["amount_sek"]) if facts["amount_sek"] is not None else "–",
                  "role": sv("amount_role", role) if role else "", "share": percent(facts["share_percent"]),
                  "period": span(facts["period"]["start"], facts["period"]["end"]),
                  "quotes": _quotes(facts.get("evidence", []))},
        "findings": [{"severity": f["severity"], "label": sv("severity", f["severity"]).capitalize(),
                      "title": names.rule(f["rule"]), "message": f["message"], "citation": f["citation"],
                      "quotes": _quotes(f.get("evidence", []))} for f in result["findings"]],
    }


def _view(entry: Entry, names: Names) -> dict[str, Any]:
    flat = entry.flat
    return {
        "rank": entry.rank, "anchor": f"dok-{entry.rank}", "tier": entry.tier,
        "tier_label": sv("attention_tier", entry.tier), "title": flat.get("title") or _file_name(flat),
        "file": _file_name(flat), "kind": sv("document_kind", flat["kind"]) if flat.get("kind") else "",
        "region": flat.get("region") or "", "region_name": names.regions.get(flat.get("region") or "", ""),
        "rus": flat.get("rus_top_name") or "–", "perspectives": _perspective_cells(entry, names),
        "amount": sek(flat.get("amount_sek")) if flat.get("amount_sek") is not None else "–",
        "amount_value": flat.get("amount_sek") or 0, "share": percent(flat.get("share_percent")),
        "period": span(flat.get("period_start"), flat.get("period_end")),
        "flags": [sv("sanity_flag", f) for f in entry.split("flags")], "reasons": entry.reasons,
        "items": " ".join(_item_ids(flat)), "rules": " ".join(entry.split("findings")),
        "persp": " ".join(f"{p}:{flat.get(p)}" for p in names.required if flat.get(p)),
        "detail": _detail(entry, names),
    }


# ---- the whole page --------------------------------------------------------------------------------

def _framework_charts(ok: list[Entry], names: Names) -> list[Chart]:
    charts = []
    for prefix in FRAMEWORK_KINDS:
        counts = Counter(e.flat.get(f"{prefix}_top_name") or e.flat[f"{prefix}_top"] for e in ok
                         if e.flat.get(f"{prefix}_top"))
        if not counts:
            continue
        framework = next(e.flat[f"{prefix}_framework"] for e in ok if e.flat.get(f"{prefix}_framework"))
        title = f"Främsta matchning: {sv('framework_kind', prefix)}"
        chart = Chart(title, f"Antal dokument per område i {names.frameworks.get(framework, framework)}, efter "
                             "bästa träff.", ["Område", "Dokument"], [[k, str(v)] for k, v in counts.most_common()],
                      f"diagram-{prefix}")
        charts.append(bars(chart, counts.most_common(), "antal dokument"))
    return charts


def _perspective_chart(ok: list[Entry], names: Names) -> Chart:
    categories = list(names.perspectives.values())
    ids = list(names.perspectives)
    counts = [[sum(1 for e in ok if e.flat.get(p) == status) for p in ids] for status in STATUS_STYLE]
    segments = [Segment(sv("perspective_status", s).capitalize(), *style) for s, style in STATUS_STYLE.items()]
    headers = ["Perspektiv"] + [s.label for s in segments]
    rows = [[name] + [str(counts[i][j]) for i in range(len(segments))] for j, name in enumerate(categories)]
    chart = Chart("Horisontella perspektiv", "Hur många dokument som behandlar varje perspektiv "
                  "(finns, tunt eller saknas).", headers, rows, "diagram-perspektiv")
    return stacked(chart, categories, segments, counts, "antal dokument")


def _findings_chart(ok: list[Entry], names: Names) -> Chart:
    counts = Counter(names.rule(rule) for e in ok for rule in set(e.split("findings")))
    chart = Chart("Regelanmärkningar", "Antal dokument med varje anmärkning.", ["Anmärkning", "Dokument"],
                  [[k, str(v)] for k, v in counts.most_common()], "diagram-regler")
    return bars(chart, counts.most_common(), "antal dokument")


def _amount_chart(ok: list[Entry]) -> Chart:
    amounts: dict[str, float] = defaultdict(float)
    for entry in ok:
        if entry.flat.get("amount_sek") and entry.flat.get("rus_top") and "amount-outlier" not in entry.split("flags"):
            amounts[entry.flat.get("rus_top_name") or entry.flat["rus_top"]] += float(entry.flat["amount_sek"]) / 1e6
    ordered = sorted(amounts.items(), key=lambda kv: -kv[1])
    chart = Chart("Belopp per RUS-område", "Summa av belopp i miljoner kronor per område; belopp som flaggats "
                  "som avvikande är inte medräknade.", ["Område", "Miljoner kronor"],
                  [[k, f"{v:.1f}".replace(".", ",")] for k, v in ordered], "diagram-belopp")
    return bars(chart, ordered, "miljoner kronor", fmt=lambda v: f"{v:.1f}".replace(".", ","), integers=False)


def _filters(views: list[dict[str, Any]], names: Names) -> dict[str, list[tuple[str, str]]]:
    regions = sorted({v["region"] for v in views if v["region"]})
    items = sorted({i for v in views for i in v["items"].split()}, key=lambda i: names.items.get(i, i))
    rules = sorted({r for v in views for r in v["rules"].split()}, key=names.rule)
    statuses = [(f"{p}:{s}", f"{names.perspectives.get(p, p)}: {sv('perspective_status', s)}")
                for p in names.required for s in STATUS_STYLE]
    return {"region": [(r, names.regions.get(r, r)) for r in regions],
            "item": [(i, names.items.get(i, i)) for i in items], "persp": statuses,
            "rule": [(r, names.rule(r)) for r in rules]}


@dataclass(frozen=True)
class PortfolioPage:
    """The page and the attention list it shows, headings first (also written as CSV/XLSX by the CLI)."""

    html: str
    table: list[list[Any]]


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def build(entries: list[Entry], names: Names, title: str = "Portföljrapport") -> PortfolioPage:
    ordered = rank(entries, names)
    ok = [e for e in ordered if e.ok]
    charts = _framework_charts(ok, names) + [_perspective_chart(ok, names), _findings_chart(ok, names),
                                              _amount_chart(ok)]
    views = [_view(e, names) for e in ordered]
    records = [export_record(e, names) for e in ordered]
    columns = headers([names.perspectives.get(p, p) for p in names.required])
    kpi = {"total": len(ordered), "ok": len(ok), "errors": len(ordered) - len(ok),
           "attention": sum(1 for e in ordered if e.tier != "none"),
           "flagged": sum(1 for e in ordered if e.split("flags"))}
    export = {"headers": columns, "rows": {v["anchor"]: r for v, r in zip(views, records, strict=True)}}
    page = _environment().get_template("portfolio.html.j2").render(
        title=title, charts=charts, docs=views, kpi=kpi, filters=_filters(views, names),
        export_json=json.dumps(export, ensure_ascii=False, default=str).replace("</", "<\\/"),
        xlsx=base64.b64encode(xlsx_bytes([columns, *records])).decode("ascii"))
    return PortfolioPage(page, [columns, *records])


def build_portfolio(path: Path, title: str = "Portföljrapport", settings: Settings | None = None) -> PortfolioPage:
    names = names_for(settings)
    return build(load_entries(path, names), names, title)
