"""Figures are compared only when they measure the same thing: the thing counted and the event it is
counted in (WordNet says "detainees released" and "prisoners freed" are one measure; "survivors rescued"
and "survivors a hospital received" are two), and a later, larger death toll is an update."""

from __future__ import annotations

import pytest

from claimdiff import Options, analyse
from claimdiff.measures import same_measure
from conftest import FIXED_TIME, ROOT


def numeric_conflicts(folder, texts: dict[str, tuple[str, str]]) -> set[frozenset[str]]:
    for name, (date, text) in texts.items():
        (folder / f"{name}.txt").write_text(f"Source: {name}\nDate: {date}\n\n{text}\n")
    briefing = analyse([folder], Options(generated_at=FIXED_TIME))
    return {frozenset(briefing.claim(i).source for i in c.claim_ids) for c in briefing.contradictions
            if c.kind == "numeric"}


BOTH = frozenset({"Wire", "Statement"})


def test_one_measure_in_other_words_conflicts(tmp_path):
    found = numeric_conflicts(tmp_path, {
        "Wire": ("2022-10-16", "More than 120 prisoners were freed in the exchange at the checkpoint."),
        "Statement": ("2022-10-16", "Today, 114 detainees were released under the agreement."),
    })
    assert BOTH in found


@pytest.mark.parametrize("statement, conflict", [
    ("The provincial hospital said it had received 37 survivors by the evening.", False),
    ("Coast guard teams rescued 37 survivors by the evening.", True),
])
def test_the_same_people_counted_in_another_event_do_not_conflict(tmp_path, statement, conflict):
    found = numeric_conflicts(tmp_path, {
        "Wire": ("2017-12-09", "By Saturday evening, 196 survivors had been rescued from the sea."),
        "Statement": ("2017-12-09", statement),
    })
    assert (BOTH in found) == conflict


@pytest.mark.parametrize("later, conflict", [("14", False), ("9", True)])
def test_a_later_larger_death_toll_is_an_update(tmp_path, later, conflict):
    found = numeric_conflicts(tmp_path, {
        "Wire": ("2016-08-17", "At least 11 people were killed when the building collapsed."),
        "Statement": ("2016-08-19", f"Exactly {later} people were killed when the building collapsed."),
    })
    assert (BOTH in found) == conflict


def test_measures_alike_by_wordnet_only_where_words_can_name_one_thing():
    assert same_measure("detainee|release", "prisoner|free")
    assert same_measure("house|destroy", "home|destroy")
    assert not same_measure("survivor|rescue", "survivor|receive")
    assert not same_measure("turbine|", "household|")
    assert not same_measure("deaths", "injured")


def test_shipped_aliases_name_no_sample_person_place_or_body():
    import json

    from claimdiff.nlp import load_pipeline

    aliases = {k for k in json.loads((ROOT / "src" / "claimdiff" / "aliases.json").read_text("utf-8"))
               if not k.startswith("_")}
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "samples").glob("*/*")) if p.suffix in {".txt", ".md"}]
    named = {e.text.lower().removeprefix("the ") for doc in load_pipeline().pipe(texts) for e in doc.ents
             if e.label_ in {"PERSON", "ORG", "FAC", "LOC"}}
    assert named and not (named & aliases)
