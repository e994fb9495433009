"""List marks: one set of bullet characters, read three ways."""

import pytest

from analysis.marks import BULLET_CHARS, BULLET_TOKEN, LIST_ITEM_START, LIST_LINE


@pytest.mark.parametrize("mark", list(BULLET_CHARS))
def test_every_bullet_character_is_a_token_a_list_line_and_an_item_start(mark):
    assert BULLET_TOKEN.match(mark) and LIST_LINE.match(f"{mark} Mål") and LIST_ITEM_START.match(f"  {mark} Mål")


@pytest.mark.parametrize(("line", "list_line", "item_start"), [
    ("1) Syfte", True, True), ("1. Syfte", False, True), ("a) Syfte", False, True),
    ("Syfte", False, False), ("123) Syfte", False, False), ("-Syfte", False, False),
])
def test_numbered_and_lettered_items(line, list_line, item_start):
    assert bool(LIST_LINE.match(line)) is list_line
    assert bool(LIST_ITEM_START.match(line)) is item_start


def test_a_word_is_not_a_bullet_token():
    assert not BULLET_TOKEN.match("--") and not BULLET_TOKEN.match("x")
