"""A contested point's heading depends on its claims, not on which of them comes first, and speaks the
articles' usual words: one conflict is one point in the briefing."""

from __future__ import annotations

from claimdiff.align import label, name_ranks
from claimdiff.model import Claim, Quantity


def claim(n: int, display: str = "", entities: tuple[str, ...] = (), predicate: str = "") -> Claim:
    quantities = ()
    if display:
        quantities = (Quantity(value=n, low=n, high=n, unit="count", counted="united states | troop", text=str(n),
                               display=display),)
    return Claim(id=f"c{n}", article_id=f"a{n}", index=0, text="...", speaker=f"s{n}", voice="own",
                 quantities=quantities, entities=entities, predicate=predicate)


def test_figures_are_headed_with_the_articles_usual_wording_in_either_order():
    corpus = [claim(1, "U.S. troops"), claim(2, "American troops"), claim(3, "U.S. troops"), claim(4, "U.S. troops")]
    ranks = name_ranks(corpus)
    pair = [corpus[1], corpus[2]]
    assert label(pair, ranks) == label(pair[::-1], ranks) == "U.S. troops — figures"


def test_claims_are_headed_by_their_rarest_names_and_usual_predicate_in_either_order():
    corpus = [claim(1, entities=("united states", "joe biden"), predicate="withdraw"),
              claim(2, entities=("united states", "mustafa al-kadhimi"), predicate="stay"),
              claim(3, entities=("united states",), predicate="stay"),
              claim(4, entities=("united states", "iraq"), predicate="stay")]
    ranks = name_ranks(corpus)
    pair = [corpus[0], corpus[1]]
    # "United States" is in both claims, so it leads; of the names each claim has once, the rarer.
    assert label(pair, ranks) == label(pair[::-1], ranks)
    assert label(pair, ranks) in {"United States / Joe Biden — stay", "United States / Mustafa Al-Kadhimi — stay"}
    pair = [corpus[0], corpus[3]]
    assert label(pair, ranks) == label(pair[::-1], ranks) == "United States / Iraq — stay"
