"""Fifty articles, long quotes, long URLs: the layout holds (nothing wider than the page), long tables
split across pages with their header repeated."""

from __future__ import annotations

import re

import pytest

from claimdiff import Options, analyse, render
from conftest import FIXED_TIME, SAMPLES, pdf_text

LONG_QUOTE = ('"' + " ".join(f"the minister said that clause {i} of the accord would be honoured in full" for i in
                             range(40)) + '," Foreign Minister Fuad Hussein told reporters.')
LONG_URL = "https://example.org/" + "a" * 300


@pytest.fixture(scope="module")
def fifty(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fifty")
    originals = sorted(p for p in SAMPLES.glob("*/*") if p.suffix in {".txt", ".md"})
    for n in range(50):
        source = originals[n % len(originals)].read_text()
        # Vary the figures and names so that no two articles are duplicates.
        varied = re.sub(r"(?<![-\d.,])(\d{2,3})(?![-\d])", lambda m, n=n: str(int(m.group(1)) + n), source)
        varied = varied.replace("Source: ", f"Source: Outlet {n} ").replace("source: ", f"source: Outlet {n} ")
        if n == 7:
            varied += "\n\n" + LONG_QUOTE + "\n"
        if n == 8:
            varied = varied.replace("URL: ", f"URL: {LONG_URL}", 1) if "URL: " in varied else varied
        (folder / f"article-{n:02d}{originals[n % len(originals)].suffix}").write_text(varied)
    return analyse([folder], Options(generated_at=FIXED_TIME))


@pytest.fixture(scope="module")
def fifty_pdf(fifty):
    return pdf_text(render(fifty, "pdf"))


def test_fifty_articles_render(fifty, fifty_pdf):
    assert len(fifty.articles) == 50
    text, pages = fifty_pdf
    assert pages > 5
    assert f"page {pages} of {pages}" in text
    for section in ("Contested points", "Numbers by source", "What the sources agree on", "Sources"):
        assert section in text


def test_nothing_wider_than_the_page(fifty):
    from weasyprint import HTML

    from claimdiff.rendering import LockedFetcher, shipped_templates

    html = render(fifty, "html").decode()
    document = HTML(string=html, url_fetcher=LockedFetcher([shipped_templates()])).render()
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():
            if getattr(box, "width", None) is None or not hasattr(box, "position_x"):
                continue
            right = box.position_x + box.margin_width()
            assert right <= page.width + 1, f"page {number}: {type(box).__name__} ends at {right:.0f}"


def test_table_headers_repeat_across_pages(fifty_pdf):
    text, _ = fifty_pdf
    # The sources appendix has 50 rows: more than a page, so its header row is printed again.
    headers = [line for line in text.splitlines() if line.startswith("Outlet") and "Title" in line]
    assert len(headers) >= 2, headers


def test_long_quote_is_wrapped_and_kept(fifty_pdf):
    text = " ".join(fifty_pdf[0].split())
    assert "clause 39 of the accord" in text


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """Seventy outlets repeat the Pentagon's figure; one repeats the same sentence with another figure.
    The figure's bucket holds more claims than are ever compared in full, all of one wording."""
    folder = tmp_path_factory.mktemp("crowded")
    for n in range(70):
        (folder / f"wire{n:02d}.txt").write_text(
            f"Source: Outlet {n}\n\nOutlet {n} learned that the Pentagon says 2,500 US troops are in Iraq.\n")
    (folder / "dissent.txt").write_text(
        "Source: Dissent\n\nOutlet 70 learned that the Pentagon says 3,500 US troops are in Iraq.\n")
    return folder


def test_a_conflicting_figure_is_found_among_many_repeats(crowded, monkeypatch):
    import claimdiff.align

    def numeric_between(briefing):
        return [c for c in briefing.contradictions if c.kind == "numeric"
                and {briefing.claim(i).source for i in c.claim_ids} & {"Dissent"}]

    found = numeric_between(analyse([crowded], Options(generated_at=FIXED_TIME)))
    assert found and all("3,500" in c.explanation and "2,500" in c.explanation for c in found)
    # Without the sorted-neighbourhood pass the conflict is lost: one wording has one representative.
    monkeypatch.setattr(claimdiff.align, "NEIGHBOURS", 0)
    assert not numeric_between(analyse([crowded], Options(generated_at=FIXED_TIME)))


@pytest.fixture(scope="module")
def reprinted(tmp_path_factory):
    """Seventy outlets reprint two wire sentences (with their own figures); one outlet says the opposite
    of the first and denies the second. The words and names they share are each held by over 60."""
    folder = tmp_path_factory.mktemp("reprinted")
    for n in range(70):
        (folder / f"wire-{n:02d}.txt").write_text(
            f"Source: Outlet {n}\n\nU.S. troops will withdraw from Iraq after {2000 + n}, the Pentagon said. "
            f"The Ain al-Asad air base in Iraq was inspected by {n + 3} U.S. officials.\n")
    (folder / "dissent.txt").write_text(
        "Source: Dissent\n\nU.S. troops will stay in Iraq, Iraqi officials told Dissent. "
        "The Ain al-Asad air base in Iraq was not inspected, a lawmaker said.\n")
    return folder


def test_an_opposite_claim_is_found_among_many_reprints(reprinted, monkeypatch):
    import claimdiff.align

    def against_dissent(briefing, kind):
        return [c for c in briefing.contradictions if c.kind == kind
                and {briefing.claim(i).source for i in c.claim_ids} & {"Dissent"}]

    briefing = analyse([reprinted], Options(generated_at=FIXED_TIME))
    stay = against_dissent(briefing, "dispute")
    assert stay and all("stay" in c.explanation and "withdraw" in c.explanation for c in stay)
    inspected = against_dissent(briefing, "negation")
    assert inspected and all("not inspected" in c.explanation for c in inspected)
    # Without pairing across polarity, "stay" and "withdraw" share only keys held by over 60 claims and
    # the dispute is lost. (The denial still meets one reprint where the wordings sort side by side.)
    monkeypatch.setattr(claimdiff.align, "MAX_CROSS_PAIRS", 0)
    assert not against_dissent(analyse([reprinted], Options(generated_at=FIXED_TIME)), "dispute")


@pytest.fixture(scope="module")
def reprinted_weekly(tmp_path_factory):
    """Seventy outlets reprint "closed on Monday" over two weeks; one outlet, in the second week, says the
    bridge reopened on Monday. Only the second week's reprints speak of the same Monday."""
    folder = tmp_path_factory.mktemp("weekly")
    for n in range(70):
        day = "2025-03-04" if n < 35 else "2025-03-11"
        (folder / f"wire-{n:02d}.txt").write_text(
            f"Source: Outlet {n}\nDate: {day}\n\nThe Harbour Bridge closed to traffic on Monday for {n + 2} hours.\n")
    (folder / "dissent.txt").write_text(
        "Source: Dissent\nDate: 2025-03-11\n\nThe Harbour Bridge reopened to traffic on Monday.\n")
    return folder


def test_an_opposite_claim_meets_the_reprints_of_its_own_week(reprinted_weekly):
    briefing = analyse([reprinted_weekly], Options(generated_at=FIXED_TIME))
    disputes = [c for c in briefing.contradictions if c.kind == "dispute"
                and "Dissent" in {briefing.claim(i).source for i in c.claim_ids}]
    # The first reprint (first week) cannot speak for the others: its Monday is not the dissent's.
    assert disputes and all(briefing.claim(i).dates[0].start.isoformat() == "2025-03-10"
                            for c in disputes for i in c.claim_ids)


def test_every_wording_meets_every_other_in_a_large_bucket(monkeypatch):
    """Three wordings of a troop figure, seventy reprints each, in one bucket: the first and the last
    wording never sort side by side, yet a conflict between them has a heading of its own."""
    import claimdiff.align
    from claimdiff.align import candidate_pairs
    from claimdiff.model import Claim

    wordings = ["U.S. troops are in Iraq", "U.S. troops are stationed in Iraq", "U.S. troops serve in Baghdad"]
    claims = [Claim(id=f"c{t}-{n}", article_id=f"a{t}-{n}", index=0, voice="own", speaker=f"Outlet {n}",
                    text=f"The Pentagon says {1000 * (t + 1) + n} {wording}.", keys=("q:troop",))
              for t, wording in enumerate(wordings) for n in range(70)]

    def wordings_met() -> set[tuple[str, str]]:
        return {tuple(sorted((a.split("-")[0], b.split("-")[0]))) for a, b in candidate_pairs(claims)}

    assert ("c0", "c2") in wordings_met()
    monkeypatch.setattr(claimdiff.align, "MAX_CROSS_PAIRS", 0)
    assert ("c0", "c2") not in wordings_met()


def test_a_reprint_read_differently_speaks_for_itself():
    """Seventy reprints say the levee was breached; five say it was not, and in the last of those the
    recognizer missed "Port Alder". What that reprint says reads differently (its conflicts get another
    heading), so it cannot be represented by the first denial: it meets the other side itself."""
    from claimdiff.align import candidate_pairs
    from claimdiff.model import Claim

    def levee(n: int, negated: bool, entities: tuple[str, ...]) -> Claim:
        text = ("The Port Alder levee was not breached during the storm." if negated else
                "The Port Alder levee was breached on Sunday, flooding the Westfield district.")
        return Claim(id=f"{'no' if negated else 'yes'}{n}", article_id=f"a{negated}{n}", index=0, text=text,
                     speaker=f"Outlet {n}", voice="own", entities=entities, negated=negated, predicate="breach",
                     action="was not breached" if negated else "was breached", keys=("p:breach|levee",))

    claims = ([levee(n, False, ("port alder", "westfield")) for n in range(70)]
              + [levee(n, True, ("port alder",)) for n in range(4)] + [levee(4, True, ())])
    met = {b if a == "no4" else a for a, b in candidate_pairs(claims) if "no4" in (a, b)}
    assert any(other.startswith("yes") for other in met)


def test_a_card_lists_at_most_eight_positions_and_eight_voices_each(fifty):
    html = render(fifty, "html").decode()
    lists = re.findall(r'<ul class="positions">(.*?)</ul>', html, re.S)
    assert lists
    for found in lists:
        items = re.findall(r"<li>(.*?)</li>", found, re.S)
        assert len(items) <= 8
        for item in items:
            voices = item.split("</b> — ", 1)[1].split(' <span class="muted">')[0]
            assert voices.count("; ") <= 7
    assert "more positions (all in the JSON output)" in html or all(
        len(re.findall(r"<li>", found)) < 8 for found in lists)
