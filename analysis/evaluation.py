"""Evaluation against labelled texts (the devset format: labels.jsonl + texts).

Alignment is reported twice: with the shipped calibrator, and leave-one-out
cross-validated (the calibrator refitted without the text it scores), because
the shipped calibrator was fitted on the devset itself.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from analysis.corpus.schema import Framework
from analysis.document import Document
from analysis.matching.calibration import Calibrator, fit_calibrator
from analysis.pipeline import Analyzer
from analysis.result import AnalysisResult

STATUSES = ("present", "thin", "absent")
LABELLED_KINDS = ("rus", "national", "orientation")  # devset label fields are named after framework kinds


@dataclass
class Labelled:
    id: str
    path: Path
    kind: str
    labels: dict


def load_labelled(directory: Path) -> list[Labelled]:
    lines = (directory / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.strip():
            record = json.loads(line)
            out.append(Labelled(record["id"], directory / record["file"], record.get("kind", "unknown"), record))
    return out


def gold_items(labels: dict, framework: Framework) -> list[str]:
    """Gold ids for a framework kind, primary first; [] means 'none fits'."""
    value = labels.get(framework.kind) if framework.kind in LABELLED_KINDS else None
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


@dataclass
class Prepared:
    labelled: Labelled
    document: Document
    features: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # framework → item → features


def prepare_all(analyzer: Analyzer, labelled: list[Labelled], region: str | None = None) -> list[Prepared]:
    prepared = [Prepared(item, analyzer.prepare(analyzer.read_path(item.path), item.id)) for item in labelled]
    analyzer.embed([p.document for p in prepared])
    for p in prepared:
        for framework in analyzer.frameworks(region):
            lexical = {s.item: s.features for s in analyzer.lexical.score(p.document, framework)}
            semantic = {s.item: s.features for s in analyzer.semantic.score(p.document, framework)}
            p.features[framework.id] = {i: {**lexical[i], **semantic[i]} for i in lexical}
    return prepared


def calibration_rows(prepared: list[Prepared], frameworks: list[Framework]) -> list[tuple[str, dict[str, float], int]]:
    rows = []
    for p in prepared:
        for framework in frameworks:
            gold = set(gold_items(p.labelled.labels, framework))
            if framework.kind == "orientation" and "orientation" not in p.labelled.labels:
                continue
            for item in framework.items:
                rows.append((framework.kind, p.features[framework.id][item.id], int(item.id in gold)))
    return rows


def rank_items(features: dict[str, dict[str, float]], calibrator: Calibrator, kind: str) -> list[tuple[str, float]]:
    """The product's own ordering (explicitly named items first, then calibrated score)."""
    scored = [(item, calibrator.probability(kind, f), f.get("name_mention", 0.0) >= 1.0) for item, f in features.items()]
    return [(item, score) for item, score, _ in sorted(scored, key=lambda t: (-t[2], -t[1]))]


def alignment_metrics(prepared: list[Prepared], frameworks: list[Framework],
                      calibrator_for: Callable[[Prepared], Calibrator]) -> dict:
    """Top-1, top-3, MRR per framework (primary label), overall and per kind of text."""
    per: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for p in prepared:
        calibrator = calibrator_for(p)
        for framework in frameworks:
            gold = gold_items(p.labelled.labels, framework)
            ranking = rank_items(p.features[framework.id], calibrator, framework.kind)
            ids = [item for item, _ in ranking]
            probabilities = dict(ranking)
            brier = [(probabilities[item.id] - (item.id in gold)) ** 2 for item in framework.items]
            for stratum in ("all", p.labelled.kind):
                bucket = per[f"{framework.id}|{stratum}"]
                bucket["brier"].extend(brier)
                if gold:
                    position = ids.index(gold[0]) + 1 if gold[0] in ids else None
                    bucket["top1"].append(float(position == 1))
                    bucket["top3"].append(float(position is not None and position <= 3))
                    bucket["mrr"].append(1.0 / position if position else 0.0)
                    bucket["top1_any"].append(float(ids[0] in gold))
                elif framework.allows_none:
                    bucket["none_ok"].append(float(ranking[0][1] < calibrator.threshold))
    out: dict = {}
    for key, metrics in per.items():
        framework_id, stratum = key.split("|")
        out.setdefault(framework_id, {})[stratum] = {
            name: round(sum(values) / len(values), 3) for name, values in metrics.items() if values
        } | {"n": max(len(v) for name, v in metrics.items() if name != "brier")}
    return out


def loo_calibrators(prepared: list[Prepared], frameworks: list[Framework], embedder: str) -> Callable[[Prepared], Calibrator]:
    """Leave-one-out: each text is scored by a calibrator that never saw it."""
    cache: dict[str, Calibrator] = {}

    def calibrator_for(p: Prepared) -> Calibrator:
        if p.labelled.id not in cache:
            others = [q for q in prepared if q is not p]
            cache[p.labelled.id] = fit_calibrator(calibration_rows(others, frameworks), embedder)
        return cache[p.labelled.id]

    return calibrator_for


def perspective_metrics(results: dict[str, AnalysisResult], labelled: list[Labelled]) -> dict:
    out: dict = {}
    for perspective in ("miljo", "barn", "jamstalldhet"):
        confusion = {gold: Counter() for gold in STATUSES}
        correct = total = 0
        for item in labelled:
            gold = item.labels.get("perspectives", {}).get(perspective)
            if gold is None:
                continue
            predicted = next(p.status for p in results[item.id].perspectives if p.id == perspective)
            confusion[gold][predicted] += 1
            correct += predicted == gold
            total += 1
        out[perspective] = {"accuracy": round(correct / total, 3) if total else None, "n": total,
                            "confusion": {g: {p: confusion[g][p] for p in STATUSES} for g in STATUSES}}
    return out


def fact_metrics(results: dict[str, AnalysisResult], labelled: list[Labelled]) -> dict:
    checks: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    for item in labelled:
        gold = item.labels.get("facts", {})
        facts = results[item.id].facts
        predicted = {"amount_sek": facts.amount_sek, "share_percent": facts.share_percent,
                     "start": facts.period.start, "end": facts.period.end}
        for name, value in predicted.items():
            expected = gold.get(name)
            if name in ("start", "end") and expected is not None:
                expected = date.fromisoformat(expected)
            if name == "share_percent" and expected is not None:
                expected = float(expected)
            if expected is not None:  # "exactly right on the texts that state them"
                checks[name].append(float(value == expected))
                if value != expected:
                    errors.append(f"{item.id} {name}: expected {expected}, got {value}")
            else:
                checks[f"{name}_null"].append(float(value is None))
                if value is not None:
                    errors.append(f"{item.id} {name}: expected none, got {value}")
    return {name: {"exact": round(sum(v) / len(v), 3), "n": len(v)} for name, v in checks.items()} | {"errors": errors}


def finding_metrics(results: dict[str, AnalysisResult], labelled: list[Labelled]) -> dict:
    out = {}
    for label, rule in (("share_above_limit", "share-above-limit"), ("budget_missing", "budget-missing")):
        tp = fp = fn = 0
        for item in labelled:
            gold = bool(item.labels.get(label))
            fired = any(f.rule == rule for f in results[item.id].findings)
            tp += gold and fired
            fp += fired and not gold
            fn += gold and not fired
        out[rule] = {"precision": round(tp / (tp + fp), 3) if tp + fp else None,
                     "recall": round(tp / (tp + fn), 3) if tp + fn else None, "tp": tp, "fp": fp, "fn": fn}
    return out


def evaluate(analyzer: Analyzer, directory: Path, region: str | None = None) -> dict:
    labelled = load_labelled(directory)
    prepared = prepare_all(analyzer, labelled, region)
    frameworks = analyzer.frameworks(region)
    results = {p.labelled.id: analyzer.analyse_document(p.document, region) for p in prepared}
    return {
        "embedder": f"{analyzer.embedder.name}:{analyzer.embedder.version}",
        "texts": len(labelled),
        "alignment": alignment_metrics(prepared, frameworks, lambda p: analyzer.calibrator),
        "alignment_loo": alignment_metrics(prepared, frameworks, loo_calibrators(prepared, frameworks, analyzer.embedder.name)),
        "perspectives": perspective_metrics(results, labelled),
        "facts": fact_metrics(results, labelled),
        "findings": finding_metrics(results, labelled),
    }


def fit_shipped_calibrator(analyzer: Analyzer, directory: Path) -> Calibrator:
    """Fit the calibrator on every labelled text; its card records how, and the LOO numbers."""
    labelled = load_labelled(directory)
    prepared = prepare_all(analyzer, labelled)
    frameworks = analyzer.frameworks(None)
    rows = calibration_rows(prepared, frameworks)
    loo = alignment_metrics(prepared, frameworks, loo_calibrators(prepared, frameworks, analyzer.embedder.name))
    meta = {"trained_on": f"{len(labelled)} labelled texts ({directory.name})", "rows": len(rows),
            "embedder": f"{analyzer.embedder.name}:{analyzer.embedder.version}",
            "leave_one_out": {fw: m["all"] for fw, m in loo.items()}}
    return fit_calibrator(rows, analyzer.embedder.name, meta=meta)


def format_report(report: dict) -> str:
    """Plain-text tables for the terminal and the README."""
    lines = [f"Evaluation on {report['texts']} texts, embedder {report['embedder']}", ""]
    for title, key in (("Alignment, shipped calibrator", "alignment"), ("Alignment, leave-one-out calibrator", "alignment_loo")):
        lines += [title, f"{'framework':<32}{'stratum':<13}{'n':>3}{'top1':>7}{'top3':>7}{'mrr':>7}{'none ok':>9}{'brier':>8}"]
        for framework, strata in report[key].items():
            for stratum in ("all", "decision", "application", "summary", "form"):
                if stratum in strata:
                    m = strata[stratum]
                    none_ok = f"{m['none_ok']:.2f}" if "none_ok" in m else "–"
                    lines.append(f"{framework:<32}{stratum:<13}{m['n']:>3}{m.get('top1', 0):>7.2f}"
                                 f"{m.get('top3', 0):>7.2f}{m.get('mrr', 0):>7.2f}{none_ok:>9}{m.get('brier', 0):>8.3f}")
        lines.append("")
    lines.append("Perspectives (accuracy; confusion rows = gold, columns = predicted present/thin/absent)")
    for perspective, m in report["perspectives"].items():
        rows = "  ".join(f"{g}: {[m['confusion'][g][p] for p in STATUSES]}" for g in STATUSES)
        lines.append(f"  {perspective:<13} {m['accuracy']:.2f}  {rows}")
    lines += ["", "Facts (exact match where the label states a value; *_null: correctly empty)"]
    for name, m in report["facts"].items():
        if name != "errors":
            lines.append(f"  {name:<20} {m['exact']:.2f}  (n={m['n']})")
    for error in report["facts"]["errors"]:
        lines.append(f"    miss: {error}")
    lines += ["", "Findings"]
    for rule, m in report["findings"].items():
        lines.append(f"  {rule:<20} precision {m['precision']}  recall {m['recall']}  (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    return "\n".join(lines)
