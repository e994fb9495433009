"""CLI commands of the case store: ``db``, ``cases import``, ``feedback``, ``memo`` (registered by analysis/cli.py).

Kept in their own module so the store's imports (SQLAlchemy, Alembic) load only when these run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from analysis.errors import PolicyAlignError

db_app = typer.Typer(help="The case database: migrate, show the revision, prune old texts.", no_args_is_help=True)
cases_app = typer.Typer(help="Cases: import bulk results as a worklist.", no_args_is_help=True)
feedback_app = typer.Typer(help="Officer reviews as labelled data, and how often officers override.",
                           no_args_is_help=True)
EXIT_USAGE = 2


def fail(message: str) -> typer.Exit:
    typer.echo(f"policyalign: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _repository(migrate: bool = False):
    from analysis.settings import Settings
    from analysis.store import Store
    from analysis.store.repository import Repository

    try:
        return Repository(Store.open(Settings(), migrate=migrate))
    except PolicyAlignError as error:
        raise fail(str(error)) from None
    except Exception as error:  # a database that cannot be reached: one line, not a traceback
        raise fail(f"cannot open the database: {type(error).__name__}: {str(error).splitlines()[0]}") from None


def _engine():
    from analysis.settings import Settings
    from analysis.store.db import make_engine

    return make_engine(Settings().database)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Create or migrate the database to this software's schema."""
    from analysis.store import current_revision, upgrade

    engine = _engine()
    try:
        upgrade(engine, revision)
        typer.echo(f"database at revision {current_revision(engine)}")
    except Exception as error:
        raise fail(f"cannot upgrade the database: {type(error).__name__}: {str(error).splitlines()[0]}") from None
    finally:
        engine.dispose()


@db_app.command("current")
def db_current() -> None:
    """Print the database's revision and the one this software needs."""
    from analysis.store import current_revision, head_revision

    engine = _engine()
    try:
        current, head = current_revision(engine), head_revision()
    except Exception as error:
        raise fail(f"cannot read the database: {type(error).__name__}: {str(error).splitlines()[0]}") from None
    finally:
        engine.dispose()
    hint = "" if current == head else " (run 'policyalign db upgrade')"
    typer.echo(f"current: {current or 'none (empty)'}; head: {head}{hint}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision; 'base' drops every table")]) -> None:
    """Migrate the database back (for tests and rollbacks)."""
    from analysis.store import current_revision, downgrade

    engine = _engine()
    try:
        downgrade(engine, revision)
        typer.echo(f"database at revision {current_revision(engine) or 'none (empty)'}")
    finally:
        engine.dispose()


@db_app.command("prune")
def db_prune(days: Annotated[int | None, typer.Option(
        help="Delete texts older than this (default: POLICYALIGN_RETENTION_DAYS)")] = None) -> None:
    """Delete stored document texts past the retention period; hashes, results and reviews stay."""
    repo = _repository()
    days = days or repo.store.settings.retention_days
    if not days:
        raise fail("no retention period: pass --days or set POLICYALIGN_RETENTION_DAYS")
    typer.echo(f"deleted {repo.prune_texts(days)} text(s) older than {days} days")


@cases_app.command("import")
def cases_import(
    results: Annotated[Path, typer.Argument(help="JSONL from 'policyalign score … --format jsonl'")],
    column: Annotated[str, typer.Option(help="Row field that keys the case (the score run's --id-column)")] = "id",
    as_dnr: Annotated[bool, typer.Option("--as-dnr/--no-dnr",
                                         help="The key is the case's diarienummer (one case per key)")] = True,
) -> None:
    """Bring a scored backlog into cases, one analysis per ok row; sort the page by attention to work it."""
    from analysis.store.importer import import_results

    if not results.is_file():
        raise fail(f"{results}: file not found")
    summary = import_results(_repository(), results, column=column, as_dnr=as_dnr)
    typer.echo(f"{summary.analyses_added} analyses imported into cases ({summary.cases_created} new cases); "
               f"{summary.errors_skipped} error rows skipped, {summary.unreadable_lines} unreadable lines", err=True)


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write (records with a 'text' field)")],
    texts_dir: Annotated[Path | None, typer.Option("--texts-dir", help="Also write a devset-style folder "
                                                   "(labels.jsonl + .txt files) for 'evaluate DIR'")] = None,
) -> None:
    """Reviewed analyses as a labelled set (only officer-confirmed fields; see analysis/feedback.py)."""
    from analysis.feedback import export, write_labelled_dir

    count = 0
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:  # streamed: one analysis in memory at a time
        for record in export(_repository().reviewed_analyses()):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    tmp.replace(out)
    if texts_dir is not None:
        with out.open(encoding="utf-8") as handle:
            write_labelled_dir((json.loads(line) for line in handle), texts_dir)
    typer.echo(f"wrote {count} reviewed analyses → {out}", err=True)


@feedback_app.command("stats")
def feedback_stats(as_json: Annotated[bool, typer.Option("--json", help="JSON rows, not a table")] = False) -> None:
    """How often officers override each framework, perspective and fact, per corpus version."""
    from analysis.feedback import format_stats, override_stats

    rows = override_stats(_repository().reviewed_analyses())
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else format_stats(rows))


def memo(
    result: Annotated[Path, typer.Argument(help="A result JSON ('analyze --format json --include-text') or a stored "
                                                "analysis (GET /v1/analyses/{id})")],
    out: Annotated[Path, typer.Option("--out", help="DOCX file to write")] = Path("memo.docx"),
    title: Annotated[str | None, typer.Option(help="Project title")] = None,
    dnr: Annotated[str | None, typer.Option(help="Diarienummer")] = None,
    applicant: Annotated[str | None, typer.Option(help="Applicant (sökande)")] = None,
) -> None:
    """Draft tjänsteskrivelse (DOCX); whatever no officer confirmed is marked [kontrollera]."""
    from pydantic import ValidationError

    from analysis.memo import MemoInput, build_memo

    try:
        data = json.loads(result.read_text(encoding="utf-8"))
        memo_input = MemoInput.of_json(data)
    except FileNotFoundError:
        raise fail(f"{result}: file not found") from None
    except (ValueError, ValidationError, TypeError, AttributeError) as error:
        raise fail(f"{result}: not a result or stored analysis JSON ({str(error).splitlines()[0]})") from None
    memo_input.title, memo_input.dnr, memo_input.applicant = title or memo_input.title, dnr, applicant
    out.write_bytes(build_memo(memo_input))
    typer.echo(f"wrote {out}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(cases_app, name="cases")
    app.add_typer(feedback_app, name="feedback")
    app.command("memo")(memo)
