"""Whatever bytes, text or HTML arrive, the library entry point returns a briefing or raises the tool's
own error type — never anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimdiff import Briefing, ClaimdiffError, analyse, render

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.sampled_from(["The", "ministry", "said", "2,500", "troops", "were", "not", "in", "Iraq", "on",
                         "Monday", "July", "26,", "2021", "about", "denied", "\u201c", ".", ",", "\n", "\n\n",
                         "Source:", "Date:", "---", "{{", "}}", "{%", "<script>", "&amp;", "\u00e9", "\ufeff"])
sentences = st.lists(words, min_size=0, max_size=60).map(" ".join)
html_tags = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<article>", "<script>", "</script>", "<img src=x>",
                             "<title>", "</title>", "<!--", "-->", "<table><tr><td>", "<br>", "<html>", "<body>"])
html_docs = st.lists(st.one_of(html_tags, sentences), max_size=30).map("".join)


def outcome(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            briefing = analyse([path])
        except ClaimdiffError:
            return None
        assert isinstance(briefing, Briefing)
        render(briefing, "html")
        render(briefing, "json")
        return briefing


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text(text):
    outcome("a.txt", text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(sentences)
def test_random_sentences(text):
    outcome("a.md", text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    outcome("a.txt", data)


@SETTINGS
@given(html_docs)
def test_random_html(html):
    outcome("a.html", html.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_json_bytes(data):
    outcome("a.json", data)
    outcome("a.jsonl", data)
