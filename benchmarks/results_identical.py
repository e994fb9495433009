"""Check (not a test): are the results on the labelled sets byte-identical to a saved run?

``--save DIR`` writes one JSON file per labelled text (tests/data/devset, devset2,
realdev; the versions block left out, the normalised text included); ``--compare
DIR`` analyzes again and lists every text whose JSON differs. A speed change
must leave every file identical.
Usage: python benchmarks/results_identical.py --save /tmp/before; … --compare /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from analysis.pipeline import Analyzer
from analysis.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETS = ("devset", "devset2", "realdev")


def results() -> dict[str, str]:
    analyzer = Analyzer.create(Settings())
    out = {}
    for name in SETS:
        for path in sorted((ROOT / "tests" / "data" / name).glob("*.txt")):
            result = analyzer.analyze(analyzer.read_text(path.read_text(encoding="utf-8"), path.name),
                                      include_text=True)
            data = result.model_dump(mode="json", exclude={"versions"})
            out[f"{name}__{path.stem}.json"] = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    current = results()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, text in current.items():
            (args.save / name).write_text(text, encoding="utf-8")
        print(f"saved {len(current)} results to {args.save}")
        return 0
    saved = {p.name: p.read_text(encoding="utf-8") for p in sorted(args.compare.glob("*.json"))}
    differ = sorted(name for name in saved.keys() | current.keys() if saved.get(name) != current.get(name))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(saved.keys() & current.keys())} texts compared, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
