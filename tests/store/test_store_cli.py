"""The store's commands: db, memo, feedback export/stats, cases import (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.memo import memo_text
from analysis.review import DecisionIn

runner = CliRunner()


@pytest.fixture()
def env(store, store_settings):
    return {"POLICYALIGN_DATABASE_URL": store_settings.database, "POLICYALIGN_EMBEDDER": "fake"}


def test_db_upgrade_current_downgrade(database_url):
    env = {"POLICYALIGN_DATABASE_URL": database_url}
    assert "none (empty)" in runner.invoke(app, ["db", "current"], env=env).output
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(app, ["db", "current"], env=env).output.startswith("current: 0001; head: 0001")
    assert runner.invoke(app, ["db", "downgrade", "base"], env=env).exit_code == 0
    assert "none (empty)" in runner.invoke(app, ["db", "current"], env=env).output


def test_memo_from_a_result_file_marks_everything_for_checking(tmp_path, seed_result):
    result = tmp_path / "result.json"  # what 'analyze --format json --include-text' writes
    result.write_text(seed_result.model_dump_json(), encoding="utf-8")
    out = tmp_path / "memo.docx"
    done = runner.invoke(app, ["memo", str(result), "--out", str(out), "--title", "Tech-kluster Örebro län"])
    assert done.exit_code == 0, done.output
    text = memo_text(out.read_bytes())
    assert "dock högst 1 493 000 [kontrollera] kronor" in text and "Näringsliv och entreprenörskap" in text
    assert "Techföretagen i Örebro län växer snabbt" in text  # Sammanfattning from the text


def test_memo_of_a_bad_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    done = runner.invoke(app, ["memo", str(bad), "--out", str(tmp_path / "m.docx")])
    assert done.exit_code == 2 and done.output.count("\n") == 1 and "bad.json" in done.output


def test_feedback_export_holds_only_confirmed_labels_and_stats(repo, env, seed_result, tmp_path):
    case = repo.create_case(title="Tech-kluster", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text=seed_result.document.text, created_by="anna")
    unreviewed = repo.add_analysis(case.id, seed_result, text=seed_result.document.text, created_by="anna")
    repo.save_review(analysis.id, 0, [
        DecisionIn(target="rus", decision="accept"),
        DecisionIn(target="orientation", decision="reject"),
        DecisionIn(target="perspective:miljo", decision="replace", value="absent"),
        DecisionIn(target="amount_sek", decision="replace", value=1200000),
        DecisionIn(target="share_percent", decision="accept")], "anna")
    out = tmp_path / "feedback.jsonl"
    done = runner.invoke(app, ["feedback", "export", "--out", str(out), "--texts-dir", str(tmp_path / "set")], env=env)
    assert done.exit_code == 0, done.output
    labels = json.loads((tmp_path / "set" / "labels.jsonl").read_text(encoding="utf-8"))
    assert "text" not in labels and (tmp_path / "set" / labels["file"]).read_text(encoding="utf-8").startswith("Medfin")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"]["analysis_id"] for r in records] == [analysis.id] and unreviewed.id != analysis.id
    record = records[0]
    assert record["rus"] == ["naringsliv-och-entreprenorskap"] and "orientation" not in record
    assert record["perspectives"] == {"miljo": "absent"}
    assert record["facts"] == {"amount_sek": 1200000, "share_percent": 50.0}
    assert record["share_above_limit"] is False and "budget_missing" not in record
    expected = {"orientation", "national", "start", "end", "budget_missing", "perspective:barn"}
    assert expected <= set(record["unconfirmed"])
    assert record["text"].startswith("Medfinansiering") and record["kind"] == "decision"

    stats = runner.invoke(app, ["feedback", "stats", "--json"], env=env)
    rows = {r["target"]: r for r in json.loads(stats.stdout)}
    assert rows["amount_sek"]["override_rate"] == 1.0 and rows["rus"]["override_rate"] == 0.0
    assert rows["orientation"]["overrides"] == 1 and "national" not in rows
    assert "andel" in runner.invoke(app, ["feedback", "stats"], env=env).output


def test_cases_import_from_score_jsonl(repo, env, seed_result, tmp_path):
    rows = tmp_path / "results.jsonl"
    result = seed_result.model_dump(mode="json")
    lines = [{"id": "25RS0100", "source": "a.txt", "status": "ok", "result": result},
             {"id": "25RS0101", "source": "b.pdf", "status": "error", "error": {"type": "unreadable-document"},
              "result": None},
             {"id": "25RS0100", "source": "a-komplettering.txt", "status": "ok", "result": result}]
    rows.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n", encoding="utf-8")
    done = runner.invoke(app, ["cases", "import", str(rows)], env=env)
    assert done.exit_code == 0, done.output
    assert "2 analyses imported into cases (1 new cases); 1 error rows skipped, 1 unreadable lines" in done.output
    case = repo.case_by_dnr("25RS0100")
    assert case.analysis_count == 2 and case.title == "a" and case.attention > 0


def test_serve_refuses_an_unmigrated_database_with_one_line(database_url):
    from sqlalchemy import text

    from analysis.store.db import make_engine

    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE unrelated (id INTEGER)"))
    engine.dispose()
    done = runner.invoke(app, ["serve", "--port", "1"], env={"POLICYALIGN_DATABASE_URL": database_url})
    assert done.exit_code == 2 and done.output.count("\n") == 1 and "run 'policyalign db upgrade'" in done.output
