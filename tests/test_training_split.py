"""The stance model's honest figure rests on its story split: bodies recur under several headlines, so
folds must keep every headline and every body on one side, or the held-out figure flatters the model."""

from __future__ import annotations

import importlib.util
from collections import defaultdict

from conftest import ROOT

spec = importlib.util.spec_from_file_location("train_stance", ROOT / "bench" / "train_stance.py")
train_stance = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train_stance)


def rows() -> list[dict]:
    """40 stories: each has two headlines sharing a body, and the second headline a body of its own."""
    out = []
    for story in range(40):
        shared, own = 2 * story, 2 * story + 1
        out.append({"headline": f"story {story}: first", "body_id": shared})
        out.append({"headline": f"story {story}: second", "body_id": shared})
        out.append({"headline": f"story {story}: second", "body_id": own})
    return out


def sides(data: list[dict], folds: list[int], key: str) -> dict:
    seen = defaultdict(set)
    for row, fold in zip(data, folds, strict=True):
        seen[row[key]].add(fold)
    return seen


def test_the_story_split_keeps_headlines_and_bodies_on_one_side():
    data = rows()
    folds = train_stance.fold_of(data, "story")
    assert len(set(folds)) == 5
    assert all(len(f) == 1 for f in sides(data, folds, "headline").values())
    assert all(len(f) == 1 for f in sides(data, folds, "body_id").values())


def test_the_body_split_keeps_bodies_on_one_side_and_the_headline_split_does_not():
    data = rows()
    assert all(len(f) == 1 for f in sides(data, train_stance.fold_of(data, "body"), "body_id").values())
    by_headline = sides(data, train_stance.fold_of(data, "headline"), "body_id")
    # Two headlines share each even body: a headline split puts some of those bodies on both sides,
    # which is why it is not the figure to trust.
    assert any(len(f) > 1 for f in by_headline.values())
