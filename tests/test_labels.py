"""A contested point's heading depends on its claims, not on which of them comes first, and speaks the
articles' usual words: one conflict is one point in the briefing."""

from __future__ import annotations

from dataclasses import replace

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


def test_claims_are_headed_by_the_names_they_share_and_usual_predicate_in_either_order():
    corpus = [claim(1, entities=("united states", "joe biden"), predicate="withdraw"),
              claim(2, entities=("united states", "mustafa al-kadhimi"), predicate="stay"),
              claim(3, entities=("united states",), predicate="stay"),
              claim(4, entities=("united states", "iraq"), predicate="stay")]
    ranks = name_ranks(corpus)
    # A name only one side gives (Joe Biden, Iraq) says nothing of what the two disagree about.
    for pair in ([corpus[0], corpus[1]], [corpus[0], corpus[3]]):
        assert label(pair, ranks) == label(pair[::-1], ranks) == "United States — stay"


def test_claims_that_share_no_name_are_headed_by_their_rarest_names():
    corpus = [claim(1, entities=("carrow", "iraq"), predicate="breach"),
              claim(2, entities=("stonebay",), predicate="breach"),
              claim(3, entities=("iraq",), predicate="breach")]
    ranks = name_ranks(corpus)
    pair = [corpus[0], corpus[1]]
    heading = label(pair, ranks)
    assert heading == label(pair[::-1], ranks)
    assert heading in {"Carrow and Stonebay — breach", "Stonebay and Carrow — breach"}


def test_a_denial_and_its_claim_share_one_heading_in_either_order():
    def said(n: int, action: str) -> Claim:
        return replace(claim(n, entities=("harbour bridge",), predicate="breach"), action=action)

    corpus = [said(1, "was breached"), said(2, "was not breached"), said(3, "was breached")]
    ranks = name_ranks(corpus)
    pair = [corpus[0], corpus[1]]
    # The wording most claims use heads the point, whichever side is listed first.
    assert label(pair, ranks) == label(pair[::-1], ranks) == "Harbour Bridge — breached"


def test_a_heading_names_what_the_events_share_when_no_name_is_shared(write, tmp_path):
    import json

    from claimdiff import Options, analyse, render

    header = "Source: {}\nDate: 2024-05-10\n\n"
    write("g/gazette.txt", header.format("Gazette") + "Gate 3 had been closed with a chain by the club's own "
          "stewards before kick-off. The Gazette's correspondent in Alder Bay contributed reporting on Wednesday.\n")
    write("g/bulletin.txt", header.format("Bulletin") + "Gate 3 was closed by the city police shortly before "
          "kick-off. Staff of the Bulletin in Kessel Falls filed this report.\n")
    model = json.loads(render(analyse([tmp_path / "g"], Options()), "json"))
    # Not "Gate — figures" (it is not about how many gates), nor "claims — been closed".
    assert [p["label"] for p in model["contested_points"]] == ["Gate 3 — closed"]
