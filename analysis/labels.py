"""Swedish labels for the contract's closed sets, from one data file (analysis/data/labels-sv.yaml).

Why here and not in each renderer: the text report, the officer page (served as JSON), the portfolio
report and the memo must call a status the same thing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LABELS_FILE = Path(__file__).with_name("data") / "labels-sv.yaml"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """The whole table, group → id → Swedish label."""
    with LABELS_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def sv(group: str, key: str) -> str:
    """The Swedish label for `key` in `group`; the id itself if the table has none (never raises)."""
    return labels().get(group, {}).get(key, key)
