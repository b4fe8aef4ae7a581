"""The briefing as its reader meets it: the central dispute first and once, the conflicting words
marked, the same counts in every output, names as the sources write them, Markdown that parses as
Markdown, vague dates as written, and an HTML page with a margin in a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from email import message_from_bytes, policy

import pytest
from click.testing import CliRunner

from claimdiff import Options, analyse, render
from claimdiff.cli import cli
from conftest import FIXED_TIME, SAMPLES, pdf_text, squash


def points_of(briefing) -> list[dict]:
    return json.loads(render(briefing, "json"))["contested_points"]


def test_the_central_dispute_comes_first_and_once(analysed):
    points = points_of(analysed("iraq-2021"))
    first = points[0]
    assert "troops" in first["label"]
    values = [p["value"] for p in first["positions"]]
    assert "2,500" in values and "closer to 3,500" in values
    # The Pentagon's figure, the Iraqi officials' and "the figure has been disputed" are one point ...
    assert {"numeric", "dispute"} <= set(first["kinds"])
    # ... and "withdraw", "stay" and "remain" are another, with every voice on each side.
    stay = next(p for p in points if {"withdraw", "stay"} <= {x["value"] for x in p["positions"]})
    assert "remain" in {x["value"] for x in stay["positions"]}
    labels = [p["label"] for p in points]
    assert len(labels) == len(set(labels))


def test_the_conflicting_words_are_marked(analysed):
    html = render(analysed("iraq-2021"), "html").decode()
    conflicts = re.findall(r'<mark class="conflict">(.*?)</mark>', html)
    assert "2,500" in conflicts and "closer to 3,500" in conflicts
    assert "Monday, July 26, 2021" in conflicts
    assert not any("President" in c or "Prime Minister" in c for c in conflicts)


def test_every_output_counts_contested_points_alike(analysed, tmp_path):
    briefing = analysed("iraq-2021")
    model = json.loads(render(briefing, "json"))
    assert (len(model["contested_points"]), len(model["contradictions"])) == (6, 12)
    words = "6 contested points (12 conflicting pairs)"
    out = tmp_path / "brief.pdf"
    result = CliRunner().invoke(cli, ["report", str(SAMPLES / "iraq-2021"), "-o", str(out)])
    assert words in result.stderr
    text, _ = pdf_text(out.read_bytes())
    assert "6 points (12 conflicting pairs)" in squash(text)
    assert "6 contested points (12 conflicting pairs)" in render(briefing, "md").decode()
    eml = tmp_path / "brief.eml"
    result = CliRunner().invoke(cli, ["email", str(out), "--to", "desk@example.org", "--dry-run", "--eml", str(eml)])
    assert result.exit_code == 0, result.output
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "Contested points (6, 12 conflicting pairs)" in message.get_body(("plain",)).get_content()


def test_names_keep_the_sources_casing(analysed):
    briefing = analysed("iraq-2021")
    assert "ISIS" in briefing.title
    assert any(p["label"].startswith("ISIS and United States") for p in points_of(briefing))
    assert "rain in 24 hours — figures" in [p["label"] for p in points_of(analysed("corinne-storm"))]


def markdown_tokens(text: str):
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table").parse(text)


def test_markdown_has_the_briefings_sections_and_escapes_for_markdown(write, tmp_path):
    write("a/wire.txt", "Source: Wire *Star*\n\nThe storm killed 14 people in Kessel_Falls, officials said on "
                        "Monday. It's the worst <storm> in [years], the mayor said.\n")
    write("a/gazette.txt", "Source: Gazette\n\nThe storm killed 9 people in Kessel_Falls, the mayor said on "
                           "Monday.\n")
    briefing = analyse([tmp_path / "a"], Options(generated_at=FIXED_TIME))
    text = render(briefing, "md").decode()
    assert "&#39;" not in text and "&#34;" not in text and "&lt;" not in text
    tokens = markdown_tokens(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings[0] == "Contested points"
    assert {"What the sources agree on", "Claims only one source makes", "Sources"} <= set(headings)
    inline = " ".join(t.content for t in tokens if t.type == "inline")
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text)
    # Article text shows literally: no emphasis, link or tag made of its characters.
    assert "Kessel_Falls" in html and "<em>Star</em>" not in html
    assert "<storm>" not in html and "&lt;storm&gt;" in html
    assert "[years]" in html and "It's" in html
    assert "Wire *Star*" in html
    items = [t for t in tokens if t.type == "list_item_open"]
    assert items, inline


def test_markdown_has_the_numbers_table_and_the_timeline(analysed):
    tokens = markdown_tokens(render(analysed("iraq-2021"), "md").decode())
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings == ["Contested points", "Numbers by source", "What the sources agree on",
                        "Claims only one source makes", "Timeline", "Sources"]
    assert sum(t.type == "table_open" for t in tokens) == 2
    last = [i for i, t in enumerate(tokens) if t.type == "heading_open"][-1]
    listed = [t.content for t in tokens[last:] if t.type == "inline"]
    for source in ("Department of Defense", "Meridian Wire", "Eastern Review", "The Capital Ledger"):
        assert any(item.startswith(source) for item in listed), listed
    assert any(item.startswith("not read:") and "expected.json" in item for item in listed)


def test_a_vague_date_reads_as_the_source_wrote_it(analysed):
    text = render(analysed("iraq-2021"), "md").decode()
    assert "| late 2017 |" in text
    assert "2017-08-29" not in text


def test_one_article_says_it_compares_the_voices_inside_it(write, tmp_path):
    write("one/wire.txt", "Source: Wire\n\nThe mayor said 14 people died. Police said nine people died.\n")
    html = render(analyse([tmp_path / "one"], Options(generated_at=FIXED_TIME)), "html").decode()
    assert "One article: this briefing compares the voices inside it" in html


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium (Debian package chromium)")
def test_the_html_page_has_a_margin_and_a_readable_measure_in_a_browser(analysed, tmp_path):
    from PIL import Image, ImageOps

    page = tmp_path / "brief.html"
    page.write_bytes(render(analysed("iraq-2021"), "html"))
    shot = tmp_path / "shot.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1280,900", f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    image = ImageOps.invert(Image.open(shot).convert("L"))
    left, top, right, bottom = image.point(lambda v: 255 if v > 40 else 0).getbbox()
    assert left >= 100 and 1280 - right >= 100  # text never touches the window's edges
    assert right - left <= 900  # lines a reader can follow, not 1200 pixels long


def test_an_attribution_conflict_names_the_doers_as_the_sources_write_them(write, tmp_path):
    header = "Source: {}\nDate: 2024-05-10\n\n"
    write("g/gazette.txt", header.format("Gazette") + "Gate 4 of the stadium had been locked with a padlock by "
          "the club's own stewards before kick-off. The Gazette's correspondent in Alder Bay contributed "
          "reporting on Wednesday.\n")
    write("g/bulletin.txt", header.format("Bulletin") + "Gate 4 of the stadium was locked by the city police "
          "shortly before kick-off. Staff of the Bulletin in Kessel Falls filed this report.\n")
    model = json.loads(render(analyse([tmp_path / "g"], Options(generated_at=FIXED_TIME)), "json"))
    (conflict,) = [c for c in model["contradictions"] if c["kind"] == "attribution"]
    assert set(conflict["values"]) == {"club's own stewards", "city police"}


def _boxes_with_class(page, name: str):
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and name in (element.get("class") or "").split() and hasattr(box, "border_box_x"):
            yield box


def test_the_cover_boxes_line_up_with_the_summary_and_a_card_runs_on_rather_than_leave_a_gap(rendered_pdf, analysed):
    from weasyprint import HTML

    from claimdiff.rendering import LockedFetcher, shipped_templates

    html = render(analysed("iraq-2021"), "html").decode()
    page = HTML(string=html, url_fetcher=LockedFetcher([shipped_templates()])).render().pages[0]
    summary = next(_boxes_with_class(page, "summary"))
    figures = [next(b for b in box.descendants() if getattr(b, "element_tag", "") == "div" and b is not box)
               for box in _boxes_with_class(page, "figure")]
    assert len(figures) == 4
    left = summary.border_box_x()
    right = left + summary.border_width()
    assert abs(figures[0].border_box_x() - left) < 1
    assert abs(figures[-1].border_box_x() + figures[-1].border_width() - right) < 1
    # The second card starts on the first page instead of leaving its foot blank.
    from io import BytesIO

    from pypdf import PdfReader

    first_page = squash(PdfReader(BytesIO(rendered_pdf("iraq-2021"))).pages[0].extract_text())
    assert "2. DATE" in first_page or "signed the agreement" in first_page.split("Contested points", 1)[1]
