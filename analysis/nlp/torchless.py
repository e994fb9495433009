"""Keep torch out of processes that do not need it (CLI, service and bulk workers).

spaCy imports thinc, and thinc imports torch whenever it is installed (179 MB
resident, a second of start-up) although a blank pipeline never uses it.
thinc treats a failed ``import torch`` as "torch not installed": while thinc
loads, ``sys.modules["torch"] = None`` makes that import fail (standard
import-system behaviour), and the entry is removed at once, so the e5 path and
the model build can still ``import torch`` later in the same process.
"""

from __future__ import annotations

import sys


def import_thinc_without_torch() -> None:
    """Import ``thinc.compat`` with torch hidden, unless thinc or torch is already loaded."""
    if "thinc.compat" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import thinc.compat  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
