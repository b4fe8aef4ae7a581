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


def _reopening(text: str, day: str, entities: tuple[str, ...], subject: str):
    import datetime as dt

    from claimdiff.model import Claim, DateMention

    date = dt.date.fromisoformat(day)
    return Claim(id=f"c{day}", article_id=f"a{day}", index=0, text=text, speaker="Wire", voice="own",
                 dates=(DateMention(text="Monday", start=date, end=date, relation="on"),),
                 entities=entities, predicate="reopen", subject=subject, action="reopened")


@pytest.mark.parametrize(("text", "subject", "conflict"), [
    ("The Port Alder bridge reopened to traffic on Monday.", "| port alder bridge", False),
    ("The bridge reopened to traffic on Monday.", "| bridge", True),
    ("Bridges reopened to traffic on Monday.", "| bridge", True),
])
def test_a_name_the_recognizer_missed_still_names_a_place(text, subject, conflict):
    """The recognizer tags "Port Alder" in one reprint of a sentence and misses it in the next. Written
    with capitals past the sentence's start it is still a name, and not Northgate's; "the bridge"
    names nothing, so it may be Northgate's bridge reopening on another Monday."""
    from claimdiff.align import Pair
    from claimdiff.contradict import check_date

    northgate = _reopening("The Northgate bridge reopened to traffic on Monday.", "2025-03-03", ("northgate",),
                           "northgate | bridge")
    other = _reopening(text, "2025-02-24", (), subject)
    assert (check_date(northgate, other, Pair(northgate.id, other.id, 0.8)) is not None) == conflict
