"""Templates: user overrides, autoescape of untrusted article text, a PDF renderer that fetches nothing."""

from __future__ import annotations

import pytest

from claimdiff import Options, RenderError, analyse, render
from claimdiff.rendering import LockedFetcher, shipped_templates
from conftest import FIXED_TIME, pdf_text, squash

HOSTILE = """Title: <script>alert(1)</script> {{ 7*7 }}
Source: Evil {% raw %} Outlet

<script>alert("x")</script> The ministry said {{ 7*7 }} troops {% raw %} are in Iraq, officials said.
<img src="file:///etc/passwd"> <link href="http://127.0.0.1:9/x.css"> Officials said 300 troops are in Iraq.
"""


@pytest.fixture(scope="module")
def hostile_briefing(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "evil.txt"
    path.write_text(HOSTILE)
    return analyse([path], Options(generated_at=FIXED_TIME))


def test_article_text_never_becomes_markup(hostile_briefing):
    html = render(hostile_briefing, "html").decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    # The article's path is in the appendix, and pytest's temporary folders are numbered (pytest-49).
    body = html.replace(hostile_briefing.articles[0].path, "")
    assert "{{ 7*7 }}" in body and "49" not in body
    assert "{% raw %}" in html
    assert '<img src="file:///etc/passwd">' not in html


def test_hostile_pdf_renders_text_literally(hostile_briefing):
    text = squash(pdf_text(render(hostile_briefing, "pdf"))[0])
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text


def test_fetcher_serves_only_template_assets(tmp_path):
    fetcher = LockedFetcher([shipped_templates()])
    css = (shipped_templates() / "briefing.css").resolve()
    response = fetcher.fetch(css.as_uri())
    assert b"@page" in response.read()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.css", "https://example.com/a.png",
                (shipped_templates() / ".." / ".." / "pyproject.toml").resolve().as_uri(),
                "ftp://example.com/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_pdf_with_external_references_fetches_nothing(tmp_path):
    from claimdiff.rendering import html_to_pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    html = f"""<html><body><img src="{secret.as_uri()}"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">
    <div style="background: url({secret.as_uri()})">x</div><iframe src="{secret.as_uri()}"></iframe>
    <svg xmlns="http://www.w3.org/2000/svg"><image href="{secret.as_uri()}"/></svg>
    <object data="{secret.as_uri()}"></object></body></html>"""
    fetcher = LockedFetcher([shipped_templates()])
    pdf = html_to_pdf(html, [shipped_templates()], fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert secret.as_uri() in fetcher.refused
    assert "http://127.0.0.1:9/x.css" in fetcher.refused
    assert b"TOPSECRET" not in pdf


def test_user_template_overrides_and_extends(tmp_path, hostile_briefing):
    (tmp_path / "briefing.html.j2").write_text(
        '{% extends "shipped/briefing.html.j2" %}{% block appendix %}<p>CUSTOM APPENDIX</p>{% endblock %}')
    html = render(hostile_briefing, "html", template_dir=tmp_path).decode()
    assert "CUSTOM APPENDIX" in html
    assert "Contested points" in html  # the rest of the shipped template is kept
    assert "&lt;script&gt;" in html  # and still escaped


def test_user_partial_override(tmp_path, hostile_briefing):
    (tmp_path / "_summary.html.j2").write_text("<p>OUR SUMMARY {{ b.articles|length }}</p>")
    html = render(hostile_briefing, "html", template_dir=tmp_path).decode()
    assert "OUR SUMMARY 1" in html


def test_missing_template_dir(hostile_briefing, tmp_path):
    with pytest.raises(RenderError, match="not found"):
        render(hostile_briefing, "html", template_dir=tmp_path / "nope")


def test_broken_user_template_is_a_clear_error(tmp_path, hostile_briefing):
    (tmp_path / "briefing.html.j2").write_text("{% if %}")
    with pytest.raises(RenderError, match="template error"):
        render(hostile_briefing, "html", template_dir=tmp_path)


def test_timeline_names_every_source_of_a_reprinted_sentence_once(write):
    wire = "The two leaders met in the Oval Office on July 26, 2021, officials said."
    paths = [write(f"{name}.txt", f"Source: {name}\nDate: 2021-07-27\n\n{wire} {name} staff reported this.\n")
             for name in ("Wire", "Gazette")]
    paths.append(write("other.txt", "Source: Courier\nDate: 2021-07-27\n\n"
                                    "The two leaders met in the Oval Office on July 27, 2021, aides said.\n"))
    html = render(analyse(paths, Options(generated_at=FIXED_TIME)), "html").decode()
    timeline = html.split("<h2>Timeline</h2>", 1)[1].split("</table>", 1)[0]
    assert timeline.count("<tr><td") == 2  # two dates, not three rows
    assert "Officials (per Wire); Officials (per Gazette)" in timeline


def test_a_user_template_cannot_run_code(tmp_path, hostile_briefing):
    marker = tmp_path / "ran"
    (tmp_path / "briefing.html.j2").write_text(
        "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}")
    with pytest.raises(RenderError, match="template error"):
        render(hostile_briefing, "html", template_dir=tmp_path)
    assert not marker.exists()


def test_a_user_template_cannot_reach_outside_its_folder(tmp_path, hostile_briefing):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "briefing.html.j2").symlink_to(secret)
    with pytest.raises(RenderError, match="outside the template folder"):
        render(hostile_briefing, "html", template_dir=folder)
