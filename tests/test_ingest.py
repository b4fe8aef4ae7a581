"""Reading articles: headers, front matter, HTML, JSON, JSONL, ids, sources, encodings, duplicates."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from claimdiff import InputError
from claimdiff.ingest import read_articles

BODY = "The ministry said 2,500 troops are stationed in Iraq. Officials disputed the figure."


def test_text_header_block(write):
    path = write("a.txt", f"Title: Deal signed\nSource: Meridian Wire\nDate: 2021-07-27\nURL: https://x.example/a\n"
                          f"Author: Staff\n\n{BODY}\n")
    (article,) = read_articles([path]).articles
    assert (article.title, article.source, article.date, article.url, article.author) == (
        "Deal signed", "Meridian Wire", dt.date(2021, 7, 27), "https://x.example/a", "Staff")
    assert article.text == BODY
    assert article.id == "a"


def test_yaml_front_matter(write):
    path = write("b.md", f"---\ntitle: Levee breach\nsource: Alder Gazette\ndate: 2025-03-18\n---\n\n{BODY}\n")
    (article,) = read_articles([path]).articles
    assert (article.title, article.source, article.date) == ("Levee breach", "Alder Gazette", dt.date(2025, 3, 18))
    assert article.text == BODY


def test_source_defaults_to_file_stem_and_headline_becomes_title(write):
    path = write("northwire.txt", f"Storm batters coast\n\n{BODY}\n")
    (article,) = read_articles([path]).articles
    assert article.source == "northwire"
    assert article.title == "Storm batters coast"
    assert article.text == BODY


def test_html_main_text_and_metadata(write):
    html = f"""<html><head><title>Deal signed | Meridian</title>
    <meta property="og:site_name" content="Meridian Wire"><meta property="article:published_time"
    content="2021-07-27"></head><body><nav>Home | World | Sport</nav>
    <article><h1>Deal signed</h1><p>{BODY}</p><p>{BODY.replace('2,500', '3,000')}</p></article>
    <footer>Copyright</footer></body></html>"""
    (article,) = read_articles([write("page.html", html)]).articles
    assert "2,500 troops" in article.text
    assert "Copyright" not in article.text
    assert article.source == "Meridian Wire"
    assert article.date == dt.date(2021, 7, 27)


def test_json_object_list_and_jsonl(write):
    one = write("one.json", json.dumps({"title": "A", "source": "S1", "date": "2021-07-26", "text": BODY}))
    many = write("many.json", json.dumps([{"id": "x", "body": BODY + " One."}, {"body": BODY + " Two."}]))
    lines = write("lines.jsonl", "\n".join(json.dumps({"text": BODY + f" {n}.", "source": f"L{n}"})
                                           for n in range(3)))
    ingested = read_articles([one, many, lines])
    ids = [a.id for a in ingested.articles]
    assert ids[0] == "one" and "x" in ids and len(ids) == 6
    assert {a.source for a in ingested.articles if a.path.endswith("lines.jsonl")} == {"L0", "L1", "L2"}


def test_jsonl_bad_line_is_named(write):
    path = write("lines.jsonl", json.dumps({"text": BODY}) + "\n{not json\n" + json.dumps({"text": BODY + " Again."}))
    ingested = read_articles([path])
    assert len(ingested.articles) == 2
    assert any(w.path.endswith("lines.jsonl:2") and "invalid JSON" in w.reason for w in ingested.warnings)


def test_json_that_is_not_an_object(write):
    with pytest.raises(InputError, match="object or a list"):
        read_articles([write("n.json", "42")])


def test_colliding_ids_made_unique(write):
    a = write("x/report.txt", BODY)
    b = write("y/report.txt", BODY + " And more.")
    ids = [art.id for art in read_articles([a, b]).articles]
    assert ids == ["report", "report-2"]


def test_duplicate_text_is_one_source(write):
    a = write("a.txt", BODY)
    b = write("copy.txt", "  " + BODY.upper() + "\n")
    ingested = read_articles([a, b])
    assert len(ingested.articles) == 1
    assert "duplicate" in ingested.skipped[0].reason


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig"])
def test_encodings(write, encoding):
    text = "Title: Café\n\nThe café’s owner said 40 people were evacuated from Zürich."
    if encoding == "latin-1":
        text = text.replace("’", "'")
    (article,) = read_articles([write("e.txt", text.encode(encoding))]).articles
    assert article.title == "Café"
    assert "Zürich" in article.text


def test_invalid_utf8_bytes_in_the_middle(write):
    data = ("Première phrase. " * 20).encode() + b"\xff\xfe\xfa" + (" Zürich said 40 people left." * 5).encode()
    (article,) = read_articles([write("m.txt", data)]).articles
    assert "Zürich" in article.text and "\ufffd" in article.text


def test_mixed_line_endings(write):
    (article,) = read_articles([write("m.txt", b"Title: T\r\nSource: S\r\n\r\nOne line.\rTwo lines.\nThree.")]).articles
    assert article.title == "T" and article.source == "S"
    assert article.text == "One line.\nTwo lines.\nThree."


def test_unparseable_header_date_is_a_warning(write):
    ingested = read_articles([write("d.txt", f"Source: S\nDate: the day after the storm\n\n{BODY}")])
    assert ingested.articles[0].date is None
    assert "unparseable date" in ingested.warnings[0].reason


def test_symlink_loop_terminates(write, tmp_path):
    write("in/a.txt", BODY)
    (tmp_path / "in" / "loop").symlink_to(tmp_path / "in")
    ingested = read_articles([tmp_path / "in"])
    assert [a.id for a in ingested.articles] == ["a"]


def test_a_json_file_in_a_folder_is_read_when_it_is_an_article_and_listed_when_not(write, tmp_path):
    write("set/expected.json", json.dumps({"source": "Answer Wire", "text": BODY}))
    write("set/notes.json", json.dumps({"contradictions": [], "about": "what we expect"}))
    write("set/wire.txt", "Source: Meridian Wire\n\nThe ministry said 3,000 troops are stationed in Iraq.\n")
    for strict in (False, True):
        from claimdiff import Options

        ingested = read_articles([tmp_path / "set"], Options(strict=strict))
        assert sorted(a.source for a in ingested.articles) == ["Answer Wire", "Meridian Wire"]
        assert [(p.path.rsplit("/", 1)[1], p.reason) for p in ingested.skipped] == [
            ("notes.json", "not an article: a JSON object with no 'text' or 'body' field")]
