"""The ``policyalign`` command line: analyze, explain, evaluate, corpus, models, serve, score, report."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from analysis.batch.choices import EngineName, RowFormat
from analysis.errors import PolicyAlignError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

app = typer.Typer(help="Policy alignment and document analysis for Swedish regional development funding.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
corpus_app = typer.Typer(help="Validate, show and export the policy corpus.", no_args_is_help=True)
models_app = typer.Typer(help="Build, calibrate and evaluate models.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
app.add_typer(models_app, name="models")

EXIT_USAGE = 2


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class EmbedderName(StrEnum):
    static_sv = "static-sv"
    e5_small = "e5-small"
    fake = "fake"


def fail(message: str) -> typer.Exit:
    typer.echo(f"policyalign: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _settings(embedder: EmbedderName | None = None, corpus: Path | None = None):
    from analysis.settings import Settings

    overrides: dict[str, Any] = {}  # only what the caller chose, so the environment still fills the rest
    if embedder is not None:
        overrides["embedder"] = embedder.value
    if corpus is not None:
        overrides["corpus_dir"] = corpus
    return Settings(**overrides)


def _load_corpus(root: Path):
    """The corpus, or exit with the validator's report (every problem with file, line and entry)."""
    from analysis.corpus import load_corpus
    from analysis.errors import CorpusError

    try:
        return load_corpus(root)
    except CorpusError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _analyzer(embedder: EmbedderName | None = None, corpus: Path | None = None):
    from analysis.pipeline import Analyzer

    try:
        return Analyzer.create(_settings(embedder, corpus))
    except PolicyAlignError as error:
        raise fail(str(error)) from None


EmbedderOption = Annotated[
    EmbedderName | None, typer.Option("--embedder", help="Sentence embedder (default from settings: static-sv)")
]
RegionOption = Annotated[
    str | None, typer.Option("--region", help="Region whose frameworks to match (default: the corpus's)")
]
CorpusOption = Annotated[Path | None, typer.Option("--corpus", help="Policy corpus folder (default: policy_corpus/)")]


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(help="Text, PDF or DOCX files")],
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text report or JSON contract")
    ] = OutputFormat.text,
    region: RegionOption = None,
    include_text: Annotated[bool, typer.Option("--include-text", help="Put the normalised text in the JSON")] = False,
    embedder: EmbedderOption = None,
    corpus: CorpusOption = None,
) -> None:
    """Analyze documents: sections, policy matches, perspectives, facts and findings."""
    from analysis.report import render_text

    analyzer = _analyzer(embedder, corpus)
    names = {f.id: f.name for f in analyzer.corpus.frameworks}
    failed = False
    results = []
    for path in files:
        try:
            result = analyzer.analyze(analyzer.read_path(path), region=region, include_text=include_text)
        except PolicyAlignError as error:
            typer.echo(f"policyalign: {error if error.source else f'{path}: {error}'}", err=True)
            failed = True
            continue
        if output is OutputFormat.json:
            results.append(result.model_dump(mode="json"))
        else:
            typer.echo(render_text(result, names, color=sys.stdout.isatty()))
    if output is OutputFormat.json and results:
        typer.echo(json.dumps(results[0] if len(files) == 1 else results, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(EXIT_USAGE)


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="The document")],
    item: Annotated[str, typer.Option("--item", help="Policy item id, e.g. naringsliv-och-entreprenorskap")],
    region: RegionOption = None,
    embedder: EmbedderOption = None,
) -> None:
    """Show why one policy item scored as it did: each matcher's contribution and its evidence."""
    from analysis.matching.calibration import FEATURES, feature_vector

    analyzer = _analyzer(embedder)
    try:
        document = analyzer.prepare(analyzer.read_path(file))
        explanation = analyzer.explain(document, item, region)
    except PolicyAlignError as error:
        raise fail(str(error)) from None
    framework, combined = explanation.framework, explanation.combined
    key = analyzer.calibrator.key(framework.kind)
    weights = analyzer.calibrator.coefficients[key]
    values = feature_vector(combined.features)
    typer.echo(f"{item} in {framework.id}: calibrated score {combined.score:.3f}"
               f" (threshold {analyzer.calibrator.threshold}, calibrator {analyzer.calibrator.version})")
    typer.echo(f"  intercept {analyzer.calibrator.intercepts[key]:+.3f}")
    for name, weight, value in zip(FEATURES, weights, values, strict=True):
        typer.echo(f"  {name:<14} value {value:8.3f} × weight {weight:+.3f} = {value * weight:+.3f}")
    for part in (explanation.lexical, explanation.semantic):
        typer.echo(f"{part.matcher} evidence:")
        for evidence in part.evidence:
            typer.echo(f"  [{evidence.score:.3f}] {evidence.text}")
        if not part.evidence:
            typer.echo("  (none)")


@app.command()
def evaluate(
    sources: Annotated[
        list[Path], typer.Argument(help="Labelled sets: folders with labels.jsonl, or .jsonl files with texts")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="The table as Markdown (for the README)")] = False,
    folds: Annotated[int, typer.Option(help="Cross-validation folds (grouped by source)", min=2, max=20)] = 5,
    in_sample: Annotated[
        bool, typer.Option("--in-sample", help="Also the shipped models' optimistic in-sample figures")
    ] = False,
    show_misses: Annotated[bool, typer.Option("--misses", help="List every held-out fact miss")] = False,
    region: RegionOption = None,
    embedder: EmbedderOption = None,
) -> None:
    """Held-out accuracy per labelled set and pooled: alignment, perspectives, facts and findings."""
    from analysis.evaluation import evaluate as run_evaluation, format_evaluation, misses

    analyzer = _analyzer(embedder)
    try:
        figures = run_evaluation(analyzer, sources, region, folds=folds, in_sample=in_sample)
    except PolicyAlignError as error:
        raise fail(str(error)) from None
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(format_evaluation(figures, markdown=markdown))
    if show_misses:
        typer.echo("\n".join(f"  miss: {line}" for line in misses(figures)))


@corpus_app.command("validate")
def corpus_validate(path: Annotated[Path | None, typer.Argument(help="Corpus folder")] = None) -> None:
    """Check every file of the corpus; list every problem with file, line and entry."""
    root = path or _settings().corpus_dir
    corpus = _load_corpus(root)
    items = sum(len(f.items) for f in corpus.frameworks)
    typer.echo(
        f"ok: {corpus.manifest.name} {corpus.version}: {len(corpus.frameworks)} frameworks, {items} items, "
        f"{len(corpus.perspectives.perspectives)} perspectives, {len(corpus.rules.rules)} rules, "
        f"{len(corpus.headings.sections)} section headings, regions {', '.join(r.id for r in corpus.manifest.regions)}"
    )


@corpus_app.command("show")
def corpus_show(
    framework: Annotated[str | None, typer.Argument(help="Framework id; all when left out")] = None,
    corpus: CorpusOption = None,
) -> None:
    """A readable table of frameworks and their items."""
    from rich.console import Console
    from rich.table import Table

    loaded = _load_corpus(corpus or _settings().corpus_dir)
    try:
        frameworks = [loaded.framework(framework)] if framework else loaded.frameworks
    except PolicyAlignError as error:
        raise fail(str(error)) from None
    console = Console()
    console.print(f"[bold]{loaded.manifest.name}[/bold] version {loaded.version}")
    for fw in frameworks:
        table = Table(title=f"{fw.name} ({fw.id}, {fw.kind}, {fw.status})", header_style="bold", show_lines=True)
        table.add_column("id")
        table.add_column("Namn")
        table.add_column("Status")
        table.add_column("Ordförråd (urval)")
        for item in fw.items:
            table.add_row(item.id, item.name, item.status, ", ".join(t.term for t in item.vocabulary[:8]) + " …")
        console.print(table)


@corpus_app.command("schema")
def corpus_schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write one JSON Schema per file kind into this folder")
    ] = None,
) -> None:
    """Print the corpus JSON Schema (or write per-file schemas for editors)."""
    from analysis.corpus.loader import corpus_json_schema, dump_json_schema

    if out is None:
        typer.echo(dump_json_schema())
        return
    out.mkdir(parents=True, exist_ok=True)
    for pattern, schema in corpus_json_schema()["files"].items():
        name = pattern.replace("/*", "").replace(".yaml", "") + ".schema.json"
        (out / name).write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        typer.echo(f"wrote {out / name}")


@models_app.command("build")
def models_build(
    name: Annotated[str, typer.Argument(help="Model to build: static-sv")],
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default models/static-sv)")] = None,
    cache: Annotated[Path, typer.Option("--cache", help="Teacher-vector cache")] = Path(".cache/static-sv"),
) -> None:
    """Rebuild static-sv from the e5-small teacher, offline and seeded (several minutes)."""
    import logging

    from rich.progress import Progress

    from analysis.embeddings.build import build_static_sv, corpus_words

    if name != "static-sv":
        raise fail(f"unknown model {name!r}; only static-sv can be built")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = _settings()
    target = out or settings.models_dir / "static-sv"
    corpus = _load_corpus(settings.corpus_dir)
    with Progress() as progress:
        task = progress.add_task("teacher vectors", total=None)

        def factory(total: int):
            progress.update(task, total=total)
            return lambda n: progress.advance(task, n)

        info = build_static_sv(target, cache, extra_words=corpus_words(corpus), progress_factory=factory, corpus=corpus)
    typer.echo(json.dumps(info, indent=2))


@models_app.command("calibrate")
def models_calibrate(
    sources: Annotated[
        list[Path], typer.Argument(help="Labelled sets: folders with labels.jsonl, or .jsonl files with texts")
    ],
    embedder: EmbedderOption = None,
) -> None:
    """Fit the alignment calibrator and the fact ranker on labelled texts and save both in models/."""
    from analysis.embeddings import get_embedder
    from analysis.evaluation import fit_shipped
    from analysis.facts import ranker_path
    from analysis.facts.ranker import FactRanker
    from analysis.matching.calibration import FEATURES, Calibrator, calibrator_path
    from analysis.matching.supervised import MODEL_FILE, SupervisedModel
    from analysis.pipeline import Analyzer

    settings = _settings(embedder)
    model = get_embedder(settings.embedder, str(settings.models_dir))
    prior = Calibrator(model.name, {"default": [0.0] * len(FEATURES)}, {"default": 0.0})
    analyzer = Analyzer.create(settings, embedder=model, calibrator=prior, fact_ranker=FactRanker({}),
                               supervised=SupervisedModel({}))
    try:
        models = fit_shipped(analyzer, sources)
    except PolicyAlignError as error:
        raise fail(str(error)) from None
    written: dict[Path, Calibrator | FactRanker | SupervisedModel] = {
        calibrator_path(settings.models_dir, model.name): models.calibrator
    }
    if settings.embedder == "static-sv":  # the fact ranker and the supervised model do not depend on the embedder
        written |= {
            ranker_path(settings.models_dir): models.fact_ranker,
            settings.models_dir / MODEL_FILE: models.supervised,
        }
    for path, fitted in written.items():
        fitted.save(path)
        typer.echo(f"wrote {path} ({fitted.version})")
    typer.echo(json.dumps(models.calibrator.meta, indent=2))


@models_app.command("evaluate")
def models_evaluate(
    directory: Annotated[Path, typer.Argument(help="Labelled texts (labels.jsonl)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Compare static-sv, e5-small and a TF-IDF baseline against the teacher and the labels."""
    from analysis.embeddings.evaluation import compare_embedders, format_comparison

    report = compare_embedders(directory, _settings())
    typer.echo(json.dumps(report, indent=2) if as_json else format_comparison(report))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int | None, typer.Option(
        help="Analysis processes (each loads the models once); default: one per CPU", min=1)] = None,
) -> None:
    """Run the HTTP API and the officers' web page: one HTTP process feeding a pool of analysis processes."""
    for variable in BLAS_THREAD_VARIABLES:  # one analysis per CPU already: a second BLAS thread only contends
        os.environ.setdefault(variable, "1")
    import uvicorn

    _load_corpus(_settings().corpus_dir)  # refuse to start on an invalid corpus, with the validator's message
    from analysis.cases_cli import _repository

    _repository().store.close()  # refuse an unmigrated database with one line, before any process starts
    from analysis.settings import get_settings

    os.environ["POLICYALIGN_ANALYSIS_PROCESSES"] = str(workers or cpu_count())
    get_settings.cache_clear()  # the app factory reads the settings afresh, with the processes set here
    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, log_level="warning",
                access_log=False, timeout_keep_alive=5)


BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def cpu_count() -> int:
    """CPUs this process may run on (a container's limit included): analysis is CPU-bound, one worker each."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@app.command("score")
def score_backlog_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, folders, CSV/JSONL exports (id, text), or - for JSONL on stdin")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output file")],
    output_format: Annotated[
        RowFormat, typer.Option("--format", help="jsonl (full results), csv or parquet (flat)")
    ] = RowFormat.jsonl,
    workers: Annotated[int, typer.Option(help="Worker processes (each loads the models once)")] = 1,
    region: RegionOption = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip documents already in the output")] = False,
    engine: Annotated[EngineName, typer.Option(help="local processes, or Ray Data")] = EngineName.local,
    batch_size: Annotated[int, typer.Option(help="Documents per unit of work sent to a worker")] = 16,
    id_column: Annotated[str, typer.Option(help="Id column of CSV/JSONL exports")] = "id",
    text_column: Annotated[str, typer.Option(help="Text column of CSV/JSONL exports")] = "text",
    embedder: EmbedderOption = None,
) -> None:
    """Score a backlog: one row per document, written as it goes, resumable after a kill."""
    import logging

    from analysis.batch.engine import score_backlog
    from analysis.batch.inputs import iter_inputs
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    settings = _settings(embedder)
    corpus = _load_corpus(settings.corpus_dir)
    try:
        corpus.region(region)
    except PolicyAlignError as error:
        raise fail(str(error)) from None
    overrides = {
        "embedder": settings.embedder,
        "corpus_dir": str(settings.corpus_dir),
        "models_dir": str(settings.models_dir),
    }
    try:
        summary = score_backlog(iter_inputs(inputs, id_column, text_column), out, output_format, settings=overrides,
                            region=region, workers=workers, batch_size=batch_size, resume=resume, engine=engine)
    except PolicyAlignError as error:
        raise fail(str(error)) from None
    typer.echo(f"{summary.total} documents: {summary.ok} ok, {summary.errors} errors, {summary.skipped} already done; "
               f"{summary.documents_per_second:.1f} documents/s → {out}", err=True)


@app.command("report")
def portfolio_command(
    results: Annotated[Path | None, typer.Argument(help="Output of 'policyalign score' (JSONL, Parquet, CSV)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="HTML file to write (report.html, or compare.html)")] = None,
    title: Annotated[str | None, typer.Option(help="Page title")] = None,
    compare: Annotated[tuple[Path, Path] | None, typer.Option(
        "--compare", help="OLD NEW: two runs of the same backlog; lists the documents whose results changed")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Also write the attention list as an Excel file")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Also write the attention list as CSV (';')")] = None,
) -> None:
    """A self-contained HTML portfolio page (attention list, charts, each document's analysis), or --compare."""
    if compare:
        _portfolio_compare(compare, out or Path("compare.html"), title)
        return
    from analysis.batch.export import write_csv, write_xlsx
    from analysis.batch.portfolio import build_portfolio

    if results is None:
        raise fail("give a results file, or --compare OLD NEW")
    if not results.is_file():
        raise fail(f"{results}: file not found")
    out = out or Path("report.html")
    page = build_portfolio(results, title or "Portföljrapport", _settings())
    out.write_text(page.html, encoding="utf-8")
    if xlsx:
        write_xlsx(page.table, xlsx)
    if csv_out:
        write_csv(page.table, csv_out)
    typer.echo(f"wrote {out}" + "".join(f", {p}" for p in (xlsx, csv_out) if p), err=True)


def _portfolio_compare(runs: tuple[Path, Path], out: Path, title: str | None) -> None:
    from analysis.batch.compare import compare, render
    from analysis.batch.portfolio import load_flat, names_for

    for path in runs:
        if not path.is_file():
            raise fail(f"{path}: file not found")
    settings = _settings()
    names = names_for(settings)
    comparison = compare(load_flat(runs[0], settings), load_flat(runs[1], settings), names)
    page = render(comparison, runs[0].name, runs[1].name, title or "Jämförelse av två körningar")
    out.write_text(page, encoding="utf-8")
    typer.echo(f"{len(comparison.changed)} documents changed, {comparison.unchanged} unchanged → {out}", err=True)


@app.command()
def openapi() -> None:
    """Print the HTTP API's OpenAPI schema (the intake-form contract)."""
    from service.app import create_app

    typer.echo(json.dumps(create_app().openapi(), ensure_ascii=False, indent=2, sort_keys=True))


def _register_case_commands() -> None:
    from analysis.cases_cli import register

    register(app)


_register_case_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
