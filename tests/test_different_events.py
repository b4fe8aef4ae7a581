"""Alike sentences about different places are not in conflict: "the Carrow bridge reopened on Monday"
and "the Ridgeway bridge reopened on Monday" a week apart are two reopenings, not two dates for one."""

from __future__ import annotations

import pytest

from claimdiff import Options, analyse
from conftest import FIXED_TIME


def conflicts(folder, texts: dict[str, tuple[str, str]]):
    for name, (date, text) in texts.items():
        (folder / f"{name}.txt").write_text(f"Source: {name}\nDate: {date}\n\n{text}\n")
    briefing = analyse([folder], Options(generated_at=FIXED_TIME))
    return {(c.kind, frozenset(briefing.claim(i).source for i in c.claim_ids)) for c in briefing.contradictions}


@pytest.mark.parametrize("place", ["Carrow", "Ridgeway"])
def test_one_place_on_two_dates_conflicts(tmp_path, place):
    found = conflicts(tmp_path, {
        "Wire": ("2025-03-04", "The Carrow bridge reopened to traffic on Monday."),
        "Gazette": ("2025-03-11", f"The {place} bridge reopened to traffic on Monday after repairs."),
    })
    assert (("date", frozenset({"Wire", "Gazette"})) in found) == (place == "Carrow")


@pytest.mark.parametrize("place", ["Carrow", "Ridgeway"])
def test_one_place_said_and_denied_conflicts(tmp_path, place):
    found = conflicts(tmp_path, {
        "Wire": ("2025-03-04", "The Carrow levee was breached during the storm."),
        "Gazette": ("2025-03-04", f"The {place} levee was not breached during the storm."),
    })
    assert (("negation", frozenset({"Wire", "Gazette"})) in found) == (place == "Carrow")
