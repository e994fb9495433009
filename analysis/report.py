"""The officer's text report: what the analysis found, with the sentences that show it."""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from analysis.labels import sv
from analysis.result import AnalysisResult

TOP_ITEMS = 3
STATUS_STYLE = {"present": "green", "thin": "yellow", "absent": "red"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return f"”{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def _sek(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", " ") + " kr"


def _table(title: str, *columns: str, **options) -> Table:
    table = Table(title=title, header_style="bold", **options)
    for column in columns:
        table.add_column(column)
    return table


def render(result: AnalysisResult, framework_names: dict[str, str] | None = None) -> Group:
    framework_names = framework_names or {}
    doc = result.document
    parts: list = []
    header = Text.assemble((f"{doc.id}", "bold"), f"  ({doc.kind}, {doc.language}, {doc.char_count} tecken)")
    parts.append(header)

    sections = _table("Avsnitt", "Rubrik", "Avsnitt-id", "Perspektiv")
    for section in doc.sections:
        sections.add_row(
            escape(section.heading or "(ingen rubrik)"), section.id or "–", ", ".join(section.perspectives)
        )
    parts.append(sections)

    by_framework: dict[str, list] = {}
    for alignment in result.alignments:
        by_framework.setdefault(alignment.framework, []).append(alignment)
    for framework, alignments in by_framework.items():
        table = _table(f"Matchning: {escape(framework_names.get(framework, framework))}",
                       "#", "Prioritering", "Poäng", "Belägg")
        table.columns[0].justify = table.columns[2].justify = "right"
        for alignment in alignments[:TOP_ITEMS]:
            mark = "✓ " if alignment.match else ""
            evidence = "\n".join(escape(_quote(e.text)) for e in alignment.evidence) or "–"
            table.add_row(str(alignment.rank), f"{mark}{escape(alignment.name)}\n[dim]{alignment.item}[/dim]",
                          f"{alignment.score:.2f}", evidence)
        parts.append(table)

    perspectives = _table("Horisontella perspektiv", "Perspektiv", "Status", "Motivering och citat")
    for perspective in result.perspectives:
        style = STATUS_STYLE[perspective.status]
        required = "" if perspective.required else " [dim](när det är relevant)[/dim]"
        body = [escape(reason) for reason in perspective.reasons]
        body += [f"[dim]{escape(_quote(e.text, 140))}[/dim]" for e in perspective.evidence[:2]]
        perspectives.add_row(
            escape(perspective.name) + required,
            f"[{style}]{sv('perspective_status', perspective.status)}[/{style}]",
            "\n".join(body),
        )
    parts.append(perspectives)

    facts = result.facts
    period = (
        f"{facts.period.start or '?'} – {facts.period.end or '?'}" if (facts.period.start or facts.period.end) else "–"
    )
    role = f" ({sv('amount_role', facts.amount_role)})" if facts.amount_role else ""
    share = "–" if facts.share_percent is None else f"{facts.share_percent:g} %"
    parts.append(
        Panel(
            f"Belopp: {_sek(facts.amount_sek)}{role}\nAndel av kostnaderna: {share}\nProjektperiod: {period}",
            title="Uppgifter",
            expand=False,
        )
    )

    if result.findings:
        findings = _table("Regelkontroll", "Regel", "Allvar", "Meddelande")
        for finding in result.findings:
            style = SEVERITY_STYLE[finding.severity]
            findings.add_row(finding.rule, f"[{style}]{finding.severity}[/{style}]",
                             f"{escape(finding.message)}\n[dim]{escape(finding.citation)}[/dim]")
        parts.append(findings)
    else:
        parts.append(Text("Regelkontroll: inga anmärkningar.", style="green"))
    v = result.versions
    parts.append(Text(f"Version {v.software} · korpus {v.corpus} · region {v.region} · "
                      + " · ".join(f"{sv('model', k)} {m}" for k, m in v.models.items()), style="dim"))
    return Group(*parts)


def render_text(result: AnalysisResult, framework_names: dict[str, str] | None = None, width: int = 120,
                color: bool = False) -> str:
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system="standard" if color else None)
    console.print(render(result, framework_names))
    return buffer.getvalue()
