"""Issue 12's table, measured: time and peak RSS for each hostile input, through the core the CLI,
the service and bulk share (``Analyzer.read_path`` / ``read_text`` + ``analyze``).

Each probe runs in a fresh process; a sampler records the peak RSS of every process in its tree
(the analyzer and any parsing child). A probe gets ``--timeout`` seconds and ``--memory-gb`` of
address space, so measuring the old code cannot take the machine down.

    python benchmarks/hostile_inputs.py                      # this checkout
    python benchmarks/hostile_inputs.py --code /work/main    # another checkout, e.g. before the change
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20


def make_probes(folder: Path) -> dict[str, tuple[str, str]]:
    """name → (kind, path): kind 'file' goes through read_path, 'text' through read_text."""
    sys.path.insert(0, str(ROOT))
    from tests.hostile import probes

    files = {
        "docx-1gb-inflated.docx": lambda: probes.docx_bomb(1024 * MB),
        "docx-1gb-text-node.docx": lambda: probes.docx_huge_text_node(1024 * MB),
        "pdf-flate-bomb.pdf": lambda: probes.pdf_bomb(1024 * MB),
        "pdf-5000-pages.pdf": lambda: probes.pdf_many_pages(5000, 2000),
        "text-then-junk.txt": probes.text_then_junk,
        "utf16-bom.txt": probes.utf16_with_bom,
    }
    out = {}
    for name, make in files.items():
        (folder / name).write_bytes(make())
        out[name] = ("file", str(folder / name))
    texts = {"digits-8000.json-text": probes.digit_run(8000), "hyphen-lines-100k": probes.hyphen_lines(100_000),
             "text-9mb": probes.huge_text(9 * MB)}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        out[name] = ("text", str(folder / name))
    os.mkfifo(folder / "fifo.txt")
    (folder / "dev-zero.txt").symlink_to("/dev/zero")
    probes.big_file(folder / "big-50mb.txt", 50 * MB)
    for name in ("fifo.txt", "dev-zero.txt", "big-50mb.txt"):
        out[name] = ("file", str(folder / name))
    return out


RUNNER = """
import json, sys, time
from pathlib import Path
from analysis.pipeline import Analyzer
kind, path = sys.argv[1], sys.argv[2]
analyzer = Analyzer.create()
started = time.monotonic()
try:
    source = analyzer.read_path(path) if kind == "file" else analyzer.read_text(Path(path).read_text(encoding="utf-8"))
    analyzer.analyze(source)
    outcome = "ok"
except Exception as error:
    outcome = f"{getattr(error, 'code', type(error).__name__)}: {str(error)[-90:]}"
print(json.dumps({"seconds": round(time.monotonic() - started, 2), "outcome": outcome}))
"""


def _limit(memory_gb: float):
    def apply() -> None:
        limit = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _tree_peak(process, peak: dict[int, int]) -> None:
    import psutil

    try:
        tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for member in tree:
        try:
            peak[member.pid] = max(peak.get(member.pid, 0), member.memory_info().rss)
        except psutil.NoSuchProcess:
            continue


def run_probe(code: Path, kind: str, path: str, timeout: float, memory_gb: float) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", RUNNER, kind, path], cwd=code, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, preexec_fn=_limit(memory_gb))
    peak: dict[int, int] = {}
    while process.poll() is None and time.monotonic() - started < timeout + 8:  # + model loading
        _tree_peak(process, peak)
        time.sleep(0.05)
    if process.poll() is None:
        process.kill()
        process.wait()
        return {"seconds": f"> {timeout:g}", "outcome": "no answer (killed)",
                "peak_mb": round(max(peak.values(), default=0) / MB)}
    line = (process.stdout.read() or "").strip().splitlines()
    result = json.loads(line[-1]) if line else {"seconds": None, "outcome": f"crashed (exit {process.returncode})"}
    result["peak_mb"] = round(max(peak.values(), default=0) / MB)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose analysis/ is measured")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--memory-gb", type=float, default=4.0)
    parser.add_argument("--only", nargs="*", help="probe names")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        probes = make_probes(Path(tmp))
        print(f"{'probe':<26} {'seconds':>8} {'peak MB':>8}  outcome")
        for name, (kind, path) in probes.items():
            if args.only and name not in args.only:
                continue
            if name == "fifo.txt" and args.code != ROOT:
                print(f"{name:<26} {'> ' + str(int(args.timeout)):>8} {'-':>8}  blocks on open (not run)")
                continue
            result = run_probe(args.code, kind, path, args.timeout, args.memory_gb)
            print(f"{name:<26} {result['seconds']!s:>8} {result['peak_mb']:>8}  {result['outcome']}", flush=True)


if __name__ == "__main__":
    main()
