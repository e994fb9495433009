"""A writer killed with SIGKILL mid-review leaves the old review or the new one, never a mix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from analysis.review import targets_of
from analysis.store.models import ReviewAudit
from tests.conftest import ROOT

WRITER = """
import sys
from analysis.review import DecisionIn
from analysis.settings import Settings
from analysis.store import Store
from analysis.store.repository import Repository

repo = Repository(Store.open(Settings(embedder="fake", database_url=sys.argv[1])))
analysis_id, targets = int(sys.argv[2]), sys.argv[3].split(",")
version = repo.get_analysis(analysis_id).review_version


def write(version):
    decisions = [DecisionIn(target=t, decision="accept", comment=f"gen {version + 1}") for t in targets]
    return repo.save_review(analysis_id, version, decisions, "writer").review_version


version = write(version)  # the first write loads the corpus; the kill should land in a plain write
print("ready", flush=True)
while True:
    version = write(version)
"""


def test_kill_during_review_writes_leaves_a_whole_review(repo, store, seed_result, store_settings):
    case = repo.create_case(title="Kill", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text="x", created_by="anna")
    targets = targets_of(seed_result)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_ in range(2):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, store_settings.database, str(analysis.id),
                                   ",".join(targets)], stdout=subprocess.PIPE, env=env, cwd=ROOT)
        assert writer.stdout.readline().strip() == b"ready"
        time.sleep(0.1 + 0.13 * round_)  # many transactions in flight; the kill lands inside one
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        stored = repo.get_analysis(analysis.id)
        version = stored.review_version
        assert version > 0
        assert {entry["comment"] for entry in stored.review.values()} == {f"gen {version}"}
        assert set(stored.review) == set(targets)
        with store.session() as session:
            mine = ReviewAudit.analysis_id == analysis.id
            rows = session.scalar(select(func.count()).select_from(ReviewAudit).where(mine))
            newest = session.scalar(select(func.max(ReviewAudit.version)).where(mine))
        assert rows == version * len(targets) and newest == version
