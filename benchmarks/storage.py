"""Benchmark (not a test): the case store on SQLite and PostgreSQL.

Saving an analysis (target p50 ≤ 10 ms on SQLite), saving a review, and listing 10 000 cases a page at a
time (target ≤ 300 ms per page) by recency, by attention and filtered, walking every page with the cursor.
PostgreSQL is a throwaway cluster (Debian's postgresql, as in the tests) unless --postgres-url is given.
Usage: python benchmarks/storage.py [--cases 10000] [--saves 200] [--postgres-url URL] [--no-postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from analysis.pipeline import Analyzer  # noqa: E402
from analysis.review import DecisionIn  # noqa: E402
from analysis.settings import Settings  # noqa: E402
from analysis.store import Store  # noqa: E402
from analysis.store.models import Case, now  # noqa: E402
from analysis.store.repository import CaseFilter, Repository  # noqa: E402

SEED = ROOT / "examples" / "medfinansiering-tech-kluster-orebro-lan.txt"


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, value


def fill(store: Store, count: int) -> None:
    """count cases in one bulk insert: mixed regions, statuses and attention, as a scored backlog has."""
    rng = random.Random(7)
    stamp = now()
    rows = [{"dnr": f"25RS{i:06d}", "title": f"Projekt {i}", "applicant": f"Sökande {i % 300}",
             "region": rng.choice(["orebro", "varmland"]), "status": rng.choice(["open", "open", "reviewed", "closed"]),
             "attention": rng.choice([0, 0, 1, 2, 3, 5, 8]), "analysis_count": 0, "created_by": "bench",
             "created_at": stamp, "updated_at": stamp} for i in range(count)]
    with store.session() as session:
        session.execute(insert(Case), rows)


def walk(repo: Repository, filters: CaseFilter, sort: str, limit: int) -> tuple[list[float], int]:
    times, cursor, seen = [], None, 0
    while True:
        ms, page = timed(repo.list_cases, filters, cursor=cursor, limit=limit, sort=sort)
        times.append(ms)
        seen += len(page.items)
        if not page.next_cursor:
            return times, seen
        cursor = page.next_cursor


def bench(name: str, url: str, result, args) -> None:
    settings = Settings(embedder="fake", database_url=url)
    store = Store.open(settings, migrate=True)
    repo = Repository(store)
    fill(store, args.cases)
    case = repo.create_case(title="Benchmark", created_by="bench")
    text = result.document.text
    repo.add_analysis(case.id, result, text=text, created_by="bench")  # warm the connection pool
    saves = [timed(repo.add_analysis, case.id, result, text=text, created_by="bench") for _ in range(args.saves)]
    analysis_id = saves[-1][1].id
    reviews = []
    for version in range(args.saves // 4):
        decision = DecisionIn(target="amount_sek", decision="replace", value=1_000_000 + version)
        reviews.append(timed(repo.save_review, analysis_id, version, [decision], "bench")[0])
    save_ms = sorted(ms for ms, _ in saves)
    print(f"{name}: {repo.count_cases()} cases")
    p95 = save_ms[int(0.95 * len(save_ms))]
    print(f"  save an analysis:  p50 {statistics.median(save_ms):6.2f} ms, p95 {p95:6.2f} ms "
          f"({args.saves} saves, seed result {len(result.model_dump_json()) // 1024} KB + text)")
    print(f"  save a review:     p50 {statistics.median(reviews):6.2f} ms")
    for label, filters, sort in [("recent", CaseFilter(), "recent"), ("attention", CaseFilter(), "attention"),
                                 ("region+attention", CaseFilter(region="orebro", needs_attention=True), "attention")]:
        times, seen = walk(repo, filters, sort, args.page)
        print(f"  list by {label:<17} {seen:>6} cases in {len(times):>3} pages of {args.page}: "
              f"p50 {statistics.median(times):6.2f} ms, max {max(times):6.2f} ms per page")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--page", type=int, default=50)
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    analyzer = Analyzer.create(Settings(embedder="fake"))
    result = analyzer.analyze(analyzer.read_path(SEED), include_text=True)
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite (WAL)", f"sqlite:///{folder}/bench.sqlite3", result, args)
    if args.no_postgres:
        return
    if args.postgres_url:
        bench("PostgreSQL", args.postgres_url, result, args)
        return
    from tests.databases import Cluster, _pg_bin

    bin_dir = _pg_bin()
    if bin_dir is None:
        print("PostgreSQL: not installed (make postgres-deps); skipped")
        return
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
        name = f"PostgreSQL ({bin_dir.parent.name}, throwaway cluster, fsync off)"
        bench(name, cluster.create_database(), result, args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
