"""The five seed articles: whole outputs compared with hand-checked expectations."""
import pathlib

import pytest

from cleaner import Cleaner, clean

SEEDS = pathlib.Path(__file__).parent / "fixtures" / "seeds"
CASES = sorted(p for p in SEEDS.glob("*.txt") if not p.name.endswith(".expected.txt"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_seed_output(path):
    expected = path.with_name(path.stem + ".expected.txt").read_text(encoding="utf-8")
    assert clean(path.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_seed_is_not_guarded_and_idempotent(path):
    result = Cleaner().clean(path.read_text(encoding="utf-8"))
    assert not result.guarded
    assert clean(result.text) == result.text


def test_duplicated_paragraphs_once():
    text = (SEEDS / "003_b3ad2ebb19d64df5.txt").read_text(encoding="utf-8")
    out = clean(text)
    assert out.count("Xiaomi, vous connaissez ?") == 1
    assert text.count("Xiaomi, vous connaissez ?") == 2
