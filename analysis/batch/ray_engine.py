"""The same scoring on Ray Data, for backlogs that outgrow one machine.

``map_batches`` with a callable class: each actor loads the models once. Set
RAY_ADDRESS (e.g. ray://head:10001) to use an existing cluster; without it a
local Ray instance starts with ``workers`` CPUs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from analysis.batch.inputs import InputRecord
from analysis.batch.scorer import Scorer


class RayScorer:
    """A Ray Data actor: one Scorer per actor, rows returned as JSON strings (nested, schema-free)."""

    def __init__(self, settings: dict[str, Any], region: str | None) -> None:
        self.scorer = Scorer(settings, region)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        records = [InputRecord(**json.loads(str(item))) for item in batch["record"]]
        return {"row": [json.dumps(row, ensure_ascii=False, default=str) for row in self.scorer.score(records)]}


def run_ray(records: list[InputRecord], write: Callable[[list[dict]], None], settings: dict[str, Any],
            region: str | None, workers: int, batch_size: int) -> None:
    if not records:
        return
    import ray
    import ray.data

    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        local: dict[str, Any] = {} if address else {"num_cpus": max(workers, 1)}  # a cluster sizes itself
        ray.init(address=address, **local, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    # Records travel as JSON text: missing fields stay None instead of turning into NaN in Arrow.
    dataset = ray.data.from_items([{"record": json.dumps(asdict(record))} for record in records])
    scored = dataset.map_batches(RayScorer, fn_constructor_kwargs={"settings": settings, "region": region},
                                 batch_size=batch_size, concurrency=max(workers, 1), batch_format="numpy")
    for batch in scored.iter_batches(batch_size=batch_size, batch_format="numpy"):
        write([json.loads(row) for row in batch["row"]])
