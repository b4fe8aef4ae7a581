"""The PDF a user reads: every section there, every contested value there, header and page numbers."""

from __future__ import annotations

import re

import pytest

from conftest import SAMPLE_SETS, pdf_text, squash

SECTIONS = ["Executive summary", "Contested points", "What the sources agree on",
            "Claims only one source makes", "Sources"]


@pytest.mark.parametrize("name", SAMPLE_SETS)
def test_sections_present(name, rendered_pdf):
    text, pages = pdf_text(rendered_pdf(name))
    flat = squash(text)
    for section in SECTIONS:
        assert section in flat, section
    assert pages >= 2


@pytest.mark.parametrize("name", SAMPLE_SETS)
def test_page_numbers_and_running_header(name, rendered_pdf, analysed):
    text, pages = pdf_text(rendered_pdf(name))
    for n in range(1, pages + 1):
        assert f"page {n} of {pages}" in text
    title = analysed(name).title
    # The running header repeats the title on every page.
    assert squash(text).count(squash(title)) >= pages


@pytest.mark.parametrize("name", SAMPLE_SETS)
def test_every_contested_value_is_in_the_pdf(name, rendered_pdf, analysed):
    flat = squash(pdf_text(rendered_pdf(name))[0])
    briefing = analysed(name)
    for c in briefing.contradictions:
        for cid in c.claim_ids:
            claim = briefing.claim(cid)
            assert squash(claim.speaker) in flat
            for quantity in claim.quantities:
                assert quantity.text in flat or quantity.text.capitalize() in flat


def test_contested_points_side_by_side(rendered_pdf):
    flat = squash(pdf_text(rendered_pdf("iraq-2021"))[0])
    assert "Iraqi officials put the number closer to 3,500" in flat
    assert "There are currently 2,500 U.S. troops in Iraq" in flat
    assert re.search(r"\d+\. NUMERIC doses of the Pfizer vaccine", flat) and re.search(r"confidence \d+%", flat)
    for kind in ("NUMERIC", "DATE", "NEGATION", "DISPUTE"):
        assert kind in flat


def test_sources_appendix_lists_every_article(rendered_pdf, analysed):
    flat = squash(pdf_text(rendered_pdf("corinne-storm"))[0])
    for article in analysed("corinne-storm").articles:
        assert article.source in flat


def test_same_input_same_pdf(analysed, rendered_pdf):
    from claimdiff import render

    first = rendered_pdf("corinne-storm")
    again = render(analysed("corinne-storm"), "pdf")
    assert pdf_text(first) == pdf_text(again)
    assert "Generated 02 January 2026, 03:04 UTC" in squash(pdf_text(first)[0])  # the pinned run date


def test_the_embedded_model_names_files_not_folders(rendered_pdf, analysed):
    from claimdiff.deliver import embedded_model

    model = embedded_model(rendered_pdf("corinne-storm"))
    folder = str(analysed("corinne-storm").articles[0].path).rsplit("/", 1)[0]
    assert folder and folder not in repr(model)
    assert sorted(a["path"] for a in model["articles"]) == sorted(
        a.path.rsplit("/", 1)[-1] for a in analysed("corinne-storm").articles)
