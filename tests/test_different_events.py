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


# (kind, the wire's sentence and date, the gazette's sentence about {place} and date)
CASES = {
    "two dates": ("date", "2025-03-04", "The Carrow bridge reopened to traffic on Monday.",
                  "2025-03-11", "The {place} bridge reopened to traffic on Monday after repairs."),
    "said and denied": ("negation", "2025-03-04", "The Carrow levee was breached during the storm.",
                        "2025-03-04", "The {place} levee was not breached during the storm."),
}


@pytest.mark.parametrize("place", ["Carrow", "Ridgeway"])
@pytest.mark.parametrize("case", CASES)
def test_only_one_place_conflicts_with_itself(tmp_path, case, place):
    kind, wire_date, wire, gazette_date, gazette = CASES[case]
    found = conflicts(tmp_path, {"Wire": (wire_date, wire), "Gazette": (gazette_date, gazette.format(place=place))})
    assert ((kind, frozenset({"Wire", "Gazette"})) in found) == (place == "Carrow")
