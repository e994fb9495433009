"""Many corpus patterns asked one question ("does any of them match?") in one scan of the text."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A backreference or a group condition refers to groups by number or name (joined into one pattern the
# numbers shift), and flags like "(?x)" must open a pattern: such patterns are searched one by one.
_ALONE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|^\(\?[aiLmsux]+\)")


class AnyOf:
    """True where any of the patterns matches (case-insensitive), as ``any(p.search(text) for p in …)``.

    Joined as ``(?:p1)|(?:p2)|…``: at each position the alternation tries every pattern, so it matches
    exactly where one of them would, in a single pass instead of one per pattern.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = list(patterns)
        joinable = [p for p in patterns if not _ALONE.search(p)]
        alone = [p for p in patterns if _ALONE.search(p)]
        try:
            self._joined = re.compile("|".join(f"(?:{p})" for p in joinable), re.IGNORECASE) if joinable else None
        except re.error:  # e.g. two patterns name a group alike
            self._joined, alone = None, patterns
        self._alone = [re.compile(p, re.IGNORECASE) for p in alone]

    def search(self, text: str) -> bool:
        return bool(self._joined is not None and self._joined.search(text)) or any(
            p.search(text) for p in self._alone)
