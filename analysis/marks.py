"""List marks: the one set of bullet characters the normaliser, the segmenter and the tokenizer share.

Each reads them for its own question (may this line be joined to the previous one; is this line a list
item rather than a heading; is this token a bullet that starts a sentence), so the patterns differ but
the characters are defined once.
"""

from __future__ import annotations

import re

BULLET_CHARS = "•·▪◦●○■–—*-"
_BULLET = "[" + re.escape(BULLET_CHARS) + "]"

BULLET_TOKEN = re.compile(f"^{_BULLET}$")
"""A token that is a bullet mark alone."""

LIST_LINE = re.compile(rf"^({_BULLET}|\d{{1,2}}\))\s")
"""A line that is a list item (bullet or "1)"), never a heading."""

LIST_ITEM_START = re.compile(rf"^\s*({_BULLET}|\d{{1,2}}[.)]|[a-zåäö][.)])\s")
"""A line that starts a new list item (also "1." and "a)"), never joined to the line before it."""
