"""The portfolio report: one self-contained HTML page over a bulk run (charts as inline SVG)."""

from __future__ import annotations

import html
import io
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from analysis.batch.outputs import read_rows
from analysis.batch.rows import PERSPECTIVES, flatten

REQUIRED = ("miljo", "barn", "jamstalldhet")
STATUS_COLORS = {"present": "#1e7b34", "thin": "#d4a017", "absent": "#b42318"}


def load_flat(path: Path) -> list[dict[str, Any]]:
    """Flat rows from JSONL (full results), CSV or Parquet output of ``policyalign score``."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    if suffix == ".csv":
        import csv

        with path.open(encoding="utf-8", newline="") as handle:
            return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]
    return [flatten(row) for row in read_rows(path)]


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _bar_chart(counts: dict[str, float], title: str, xlabel: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(counts) or ["(inga)"]
    values = [counts[label] for label in counts] or [0]
    figure, axis = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.2))
    axis.barh(labels[::-1], values[::-1], color="#005a8c")
    axis.set_title(title)
    axis.set_xlabel(xlabel)
    figure.tight_layout()
    return _svg(figure)


def _perspective_chart(rows: list[dict[str, Any]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 2.8))
    left = [0] * len(PERSPECTIVES)
    for status, color in STATUS_COLORS.items():
        values = [sum(1 for r in rows if r.get(p) == status) for p in PERSPECTIVES]
        axis.barh(PERSPECTIVES[::-1], values[::-1], left=left[::-1], color=color, label=status)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axis.legend(loc="lower right")
    axis.set_title("Horisontella perspektiv")
    axis.set_xlabel("antal dokument")
    figure.tight_layout()
    return _svg(figure)


def needs_attention(row: dict[str, Any]) -> list[str]:
    reasons = []
    if row["status"] != "ok":
        reasons.append(f"fel: {row.get('error_type')} – {row.get('error_message')}")
        return reasons
    for perspective in REQUIRED:
        if row.get(perspective) in ("absent", "thin"):
            reasons.append(f"{perspective}: {row[perspective]}")
    if row.get("findings"):
        reasons.append("regler: " + str(row["findings"]).replace(";", ", "))
    return reasons


def build_report(rows: list[dict[str, Any]], title: str = "Portföljrapport") -> str:
    ok = [r for r in rows if r["status"] == "ok"]
    charts = []
    for prefix, name in (("rus", "Regional utvecklingsstrategi"), ("national", "Nationell strategi"),
                         ("orientation", "Inriktning 1:1")):
        counts = Counter(r.get(f"{prefix}_top_name") or r.get(f"{prefix}_top") for r in ok if r.get(f"{prefix}_top"))
        if counts:
            charts.append(_bar_chart(dict(counts.most_common()), f"Främsta matchning: {name}", "antal dokument"))
    charts.append(_perspective_chart(ok))
    findings = Counter(rule for r in ok for rule in (r.get("findings") or "").split(";") if rule)
    charts.append(_bar_chart(dict(findings.most_common()), "Regelanmärkningar", "antal dokument"))
    amounts: dict[str, float] = defaultdict(float)
    for r in ok:
        if r.get("amount_sek") and r.get("rus_top"):
            amounts[r.get("rus_top_name") or r["rus_top"]] += float(r["amount_sek"]) / 1e6
    charts.append(_bar_chart(dict(sorted(amounts.items(), key=lambda kv: -kv[1])), "Belopp per RUS-område", "miljoner kronor"))
    attention = [(r, reasons) for r in rows if (reasons := needs_attention(r))]
    table_rows = "\n".join(
        f"<tr><td>{html.escape(str(r['id']))}</td><td>{html.escape(str(r.get('rus_top_name') or '–'))}</td>"
        f"<td>{'<br>'.join(html.escape(x) for x in reasons)}</td></tr>" for r, reasons in attention)
    errors = len(rows) - len(ok)
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#1d2733}}
h1{{color:#005a8c}}.charts{{display:grid;grid-template-columns:1fr 1fr;gap:1rem}}.charts svg{{width:100%;height:auto}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #d8dee6;padding:.4rem;text-align:left;vertical-align:top}}
.kpi{{display:flex;gap:2rem}}.kpi div{{background:#f2f5f8;padding:.75rem 1rem;border-radius:8px}}</style></head>
<body><h1>{html.escape(title)}</h1>
<div class="kpi"><div><b>{len(rows)}</b><br>dokument</div><div><b>{len(ok)}</b><br>analyserade</div>
<div><b>{errors}</b><br>fel</div><div><b>{len(attention)}</b><br>behöver åtgärd</div></div>
<h2>Fördelning</h2><div class="charts">{''.join(f'<figure>{c}</figure>' for c in charts)}</div>
<h2>Dokument som behöver åtgärd</h2>
<table><thead><tr><th>Dokument</th><th>RUS-område</th><th>Varför</th></tr></thead><tbody>
{table_rows or '<tr><td colspan="3">Inga.</td></tr>'}</tbody></table>
</body></html>"""
