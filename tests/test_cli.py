"""The command line: reports, JSON contract, clear one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from analysis.cli import app
from tests.conftest import DEVSET, ROOT, SEED

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["--help"] if not args else list(args))


def test_analyze_text_report():
    result = invoke("analyze", str(SEED), "--embedder", "fake")
    assert result.exit_code == 0, result.output
    assert "Horisontella perspektiv" in result.output
    assert "Näringsliv och entreprenörskap" in result.output
    assert "1 493 000 kr" in result.output


def test_analyze_json_contract():
    result = invoke("analyze", str(SEED), "--format", "json", "--embedder", "fake", "--include-text")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1"
    assert set(data) == {"schema_version", "document", "alignments", "perspectives", "facts", "findings", "versions"}
    assert data["facts"]["amount_sek"] == 1_493_000
    assert data["facts"]["period"] == {"start": "2025-02-03", "end": "2027-12-31"}
    assert data["document"]["text"].startswith("Medfinansiering av projekt Tech-kluster")
    assert {"software", "corpus", "models"} <= set(data["versions"])


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty"),
    ("junk.txt", bytes(range(256)) * 4, "binary"),
    ("fake.pdf", b"not a pdf at all", "not a PDF"),
    ("fake.docx", b"plain text", "not a DOCX"),
    ("english.txt", b"The project will strengthen small companies in the region through advice and training for staff.",
     "not Swedish"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("analyze", str(path), "--embedder", "fake")
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and reason in lines[0]
    assert "Traceback" not in result.output


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"nope")
    result = invoke("analyze", str(bad), str(SEED), "--format", "json", "--embedder", "fake")
    assert result.exit_code == 2
    assert json.loads(result.stdout)[0]["document"]["id"] == SEED.stem


def test_corpus_validate_ok_and_broken(tmp_path):
    assert invoke("corpus", "validate").exit_code == 0
    broken = tmp_path / "corpus"
    import shutil

    shutil.copytree(ROOT / "policy_corpus", broken)
    (broken / "rules.yaml").write_text("rules: [", encoding="utf-8")
    result = invoke("corpus", "validate", str(broken))
    assert result.exit_code == 2 and "rules.yaml" in result.stderr and "YAML syntax error" in result.stderr


def test_analyze_refuses_an_invalid_corpus(tmp_path):
    (tmp_path / "manifest.yaml").write_text("name: x\n", encoding="utf-8")
    result = invoke("analyze", str(SEED), "--corpus", str(tmp_path), "--embedder", "fake")
    assert result.exit_code == 2 and "invalid policy corpus" in result.stderr and "Traceback" not in result.output


def test_corpus_show_and_schema():
    shown = invoke("corpus", "show", "orebro-anslag-1-1")
    assert shown.exit_code == 0 and "eu-medfinansiering" in shown.output
    assert invoke("corpus", "show", "nope").exit_code == 2
    schema = invoke("corpus", "schema")
    assert schema.exit_code == 0 and "frameworks/*.yaml" in json.loads(schema.stdout)["files"]


def test_explain():
    result = invoke("explain", str(SEED), "--item", "naringsliv-och-entreprenorskap", "--embedder", "fake")
    assert result.exit_code == 0, result.output
    assert "calibrated score" in result.output and "lexical evidence" in result.output
    assert invoke("explain", str(SEED), "--item", "no-such-item", "--embedder", "fake").exit_code == 2


def test_evaluate_reports_held_out_figures_per_set_and_pooled():
    result = invoke(
        "evaluate", str(DEVSET), str(DEVSET.parent / "realdev"), "--json", "--embedder", "fake", "--folds", "3"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["held_out"]) == {"devset", "realdev", "pooled"}
    pooled = report["held_out"]["pooled"]
    assert pooled["texts"] == 16 + 36
    assert pooled["rates"]["rus.top1"]["n"] == 52 and "orientation.top1" not in report["held_out"]["realdev"]["rates"]
    low, high = pooled["rates"]["facts.amount_sek"]["ci95"]
    assert low <= pooled["rates"]["facts.amount_sek"]["value"] <= high
    assert pooled["rates"]["facts.amount_sek"]["value"] >= 0.6  # fitted on two thirds of the texts, held out
    assert "share-above-limit" in pooled["findings"]


def test_evaluate_refuses_a_folder_without_labels(tmp_path):
    result = invoke("evaluate", str(tmp_path), "--embedder", "fake")
    assert result.exit_code == 2 and "labels.jsonl" in result.output


def test_serve_refuses_an_invalid_corpus(tmp_path, monkeypatch):
    (tmp_path / "manifest.yaml").write_text("name: [broken\n", encoding="utf-8")
    monkeypatch.setenv("POLICYALIGN_CORPUS_DIR", str(tmp_path))
    result = invoke("serve", "--port", "1")
    assert result.exit_code == 2
    assert "invalid policy corpus" in result.stderr and "manifest.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_evaluate_reads_an_inline_feedback_file_next_to_a_labelled_folder(tmp_path):
    """Officer feedback (`policyalign feedback export`) is one more labelled set: records carry their text."""
    records = [json.loads(line) for line in (DEVSET / "labels.jsonl").read_text(encoding="utf-8").splitlines()[:6]]
    feedback = tmp_path / "feedback.jsonl"
    with feedback.open("w", encoding="utf-8") as out:
        for record in records:
            record = {**record, "id": f"fb-{record['id']}", "text": (DEVSET / record["file"]).read_text(encoding="utf-8")}
            record["facts"].pop("share_percent")  # an officer left the share unconfirmed: no verdict on it
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = invoke("evaluate", str(DEVSET), str(feedback), "--json", "--embedder", "fake", "--folds", "3")
    assert result.exit_code == 0, result.output
    held_out = json.loads(result.stdout)["held_out"]
    assert held_out["feedback"]["texts"] == 6
    assert held_out["feedback"]["rates"]["facts.amount_sek"]["n"] + held_out["feedback"]["rates"].get(
        "facts.amount_sek_null", {"n": 0})["n"] == 6
    assert "facts.share_percent" not in held_out["feedback"]["rates"]


def test_serve_starts_one_analysis_process_per_cpu_by_default(monkeypatch):
    import os

    import uvicorn

    started = {}
    environment = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    monkeypatch.setattr(os, "environ", environment)  # serve sets thread variables: keep them out of the session
    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: started.update(options))
    assert invoke("serve", "--port", "1").exit_code == 0
    assert "workers" not in started  # one HTTP process; the analysis processes are its pool
    assert os.environ["POLICYALIGN_ANALYSIS_PROCESSES"] == str(len(os.sched_getaffinity(0)))
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"  # analysis processes inherit it: no BLAS threads contending
    assert invoke("serve", "--port", "1", "--workers", "1").exit_code == 0
    assert os.environ["POLICYALIGN_ANALYSIS_PROCESSES"] == "1"


def test_the_text_report_shows_no_english_role_or_model_names():
    result = invoke("analyze", str(SEED), "--embedder", "fake")
    assert result.exit_code == 0, result.output
    assert "(beviljat)" in result.output and "(granted)" not in result.output
    assert "språkmodell" in result.output and " embedder " not in result.output and "(redovisas)" not in result.output
