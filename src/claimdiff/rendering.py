"""Briefing -> PDF / HTML / Markdown / JSON. Templates hold all presentation; this module hands them the
briefing and a few pure helpers. Article text is untrusted: autoescape is on, and the PDF renderer can
fetch nothing but the shipped template assets."""

from __future__ import annotations

import json
import logging
import math
import re
from concurrent.futures import BrokenExecutor, Executor
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import __version__
from . import briefing as views
from .contradict import who
from .errors import RenderError
from .model import Briefing, Claim, Quantity

FORMATS = ("pdf", "html", "md", "json")
SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}

# WeasyPrint reports refused fetches through logging; the library must not print, and the CLI does not
# need these, so they stop here rather than at Python's last-resort stderr handler.
logging.getLogger("weasyprint").addHandler(logging.NullHandler())
logging.getLogger("fontTools").addHandler(logging.NullHandler())


# Terminal control characters (ESC, NUL, backspace, C1 controls) and bidirectional overrides in article
# text or file names could rewrite what a terminal or a Markdown viewer shows; only newlines and tabs pass.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def strip_controls(text: str) -> str:
    """Text with terminal control characters and bidirectional overrides removed."""
    return _UNSAFE.sub("", text)


def shipped_templates() -> Path:
    """The templates folder: inside the installed package, or at the top of a source checkout."""
    packaged = Path(str(resources.files("claimdiff"))) / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise RenderError("the claimdiff templates are missing from this installation (reinstall claimdiff)")


def _autoescape(name: str | None) -> bool:
    # Plain-text email bodies are never parsed as markup, and entities would show up literally there;
    # Markdown has its own escaping (the |md filter).
    return not (name or "").endswith((".txt.j2", ".md.j2"))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def markdown_escape(text: object) -> str:
    """Text as Markdown shows it literally: its emphasis, link, heading and table characters escaped,
    its line breaks made spaces (a claim is one line of a list or a table)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


class _ConfinedLoader(jinja2.FileSystemLoader):
    """Templates from the user's folder, and only from it: a template that is a symbolic link to a file
    elsewhere is refused."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.root = folder.resolve()

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise RenderError(f"{filename}: template resolves outside the template folder {self.root}")
        return source, filename, uptodate


def template_env(template_dir: str | Path | None = None) -> jinja2.Environment:
    """A Jinja environment that looks in the user's folder first, then in the shipped templates, so a
    user can override any one template and still `{% extends "shipped/briefing.html.j2" %}`."""
    shipped = shipped_templates()
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise RenderError(f"{folder}: template folder not found")
        loaders.append(_ConfinedLoader(folder))
    loaders.append(jinja2.FileSystemLoader(str(shipped)))
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"shipped": jinja2.FileSystemLoader(str(shipped))}),
        *loaders,
    ])
    # A user's template is code from outside: the sandbox keeps it to reading the briefing it is given
    # (no attribute starting with "_", no module globals, no changing what it is handed).
    env = ImmutableSandboxedEnvironment(loader=loader, autoescape=_autoescape, trim_blocks=True,
                                        lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.globals.update(
        word_diff=views.word_diff,
        who=who,
        contested_points=views.contested_points,
        marked_diff=views.marked_diff,
        unique_by_source=views.unique_by_source,
        number_rows=views.number_rows,
        timeline=views.timeline,
        coverage=views.coverage,
        date_range=views.date_range,
        percent=lambda x: f"{round(x * 100)}%",
    )
    env.filters["md"] = markdown_escape
    env.filters["pluralize"] = lambda n, one="", many="s": one if n == 1 else many
    return env


def _template_dirs(template_dir: str | Path | None) -> list[Path]:
    dirs = [shipped_templates().resolve()]
    if template_dir is not None:
        dirs.insert(0, Path(template_dir).resolve())
    return dirs


def render(briefing: Briefing, fmt: str = "pdf", template_dir: str | Path | None = None,
           pdf_executor: Executor | None = None) -> bytes:
    """The briefing in one format. With `pdf_executor`, the PDF is laid out there (see pdf_renderer)."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    if fmt == "json":
        return (json.dumps(to_json(briefing), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    env = template_env(template_dir)
    try:
        if fmt == "md":
            return strip_controls(env.get_template("briefing.md.j2").render(b=briefing)).encode("utf-8")
        html = env.get_template("briefing.html.j2").render(b=briefing)
    except jinja2.TemplateError as e:
        raise RenderError(f"template error: {e}") from None
    if fmt == "html":
        return html.encode("utf-8")
    # The PDF carries its own model, so that `claimdiff email` can write the message body from it.
    embedded = {EMBEDDED_NAME: json.dumps(_shareable(to_json(briefing)), ensure_ascii=False).encode("utf-8")}
    asset_dirs = _template_dirs(template_dir)
    if pdf_executor is None:
        return html_to_pdf(html, asset_dirs, embedded=embedded)
    try:
        return pdf_executor.submit(_pdf_in_worker, html, asset_dirs, embedded).result()
    except BrokenExecutor:
        raise RenderError("could not render the PDF: the renderer process stopped unexpectedly") from None


def pdf_renderer() -> Executor | None:
    """A process that imports WeasyPrint now and lays out the PDF later. Started before the analysis,
    it pays WeasyPrint's import (~0.7 s, mostly parsing C declarations) on the other core while spaCy
    loads and parses. None where processes cannot be forked."""
    import multiprocessing

    from .workers import process_pool

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    executor = process_pool(1)
    executor.submit(_import_weasyprint)
    return executor


def _pdf_in_worker(html: str, asset_dirs: list[Path], embedded: dict[str, bytes]) -> bytes:
    # Looked up when called, in the worker: the same html_to_pdf the caller's process would run.
    return html_to_pdf(html, asset_dirs, embedded=embedded)


def _import_weasyprint() -> None:
    import weasyprint  # noqa: F401


EMBEDDED_NAME = "claimdiff-briefing.json"


def html_to_pdf(html: str, asset_dirs: list[Path], fetcher=None,
                embedded: dict[str, bytes] | None = None) -> bytes:
    import io

    from weasyprint import HTML, Attachment

    fetcher = fetcher or LockedFetcher(asset_dirs)
    attachments = [Attachment(file_obj=io.BytesIO(data), name=name, url_fetcher=fetcher)
                   for name, data in (embedded or {}).items()]
    try:
        return HTML(string=html, base_url=asset_dirs[-1].as_uri() + "/", url_fetcher=fetcher).write_pdf(
            attachments=attachments)
    except Exception as e:  # WeasyPrint raises many types; the user needs one clear line
        raise RenderError(f"could not render the PDF: {type(e).__name__}: {e}") from None


def LockedFetcher(roots: list[Path]):  # noqa: N802 - used as the class it builds
    """A WeasyPrint URL fetcher that serves files from the template folders and data: URIs and refuses
    every other URL (local files, http, anything an article's HTML could point at). Refused URLs are
    kept in `.refused`. Built on first use: subclassing WeasyPrint's fetcher imports WeasyPrint, which
    the HTML, Markdown and JSON formats never need."""
    return _locked_fetcher_class()(roots)


@lru_cache(maxsize=1)
def _locked_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _LockedFetcher(URLFetcher):
        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=1)
            self.roots = [r.resolve() for r in roots]
            self.refused: list[str] = []

        def fetch(self, url: str, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _mime(path)})
            self.refused.append(url)
            raise ValueError(f"claimdiff does not fetch {url}")

    return _LockedFetcher


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2",
            ".ttf": "font/ttf"}.get(path.suffix.lower(), "application/octet-stream")


# ---------------------------------------------------------------- JSON


def _num(x: float) -> float | int | None:
    if math.isinf(x):
        return None
    return int(x) if float(x).is_integer() else round(x, 6)


def _quantity(q: Quantity) -> dict:
    return {"value": _num(q.value), "low": _num(q.low), "high": _num(q.high), "unit": q.unit,
            "counted": q.display or q.counted, "text": q.text}


def _claim(c: Claim) -> dict:
    return {
        "id": c.id, "article_id": c.article_id, "index": c.index, "text": c.text, "speaker": c.speaker,
        "voice": c.voice, "quantities": [_quantity(q) for q in c.quantities],
        "dates": [{"text": d.text, "start": d.start.isoformat(), "end": d.end.isoformat()}
                  for d in c.dates if not d.implicit],
        "entities": list(c.entities), "negated": c.negated, "hedged": c.hedged, "refutes": c.refutes,
    }


def _shareable(model: dict) -> dict:
    """The model as it travels inside a PDF that may be emailed: file names, not the folders they were in."""
    def name(path: str) -> str:
        return Path(path).name if path else path

    for key in ("articles", "skipped", "warnings"):
        model[key] = [{**item, "path": name(item.get("path") or "")} for item in model.get(key, [])]
    return model


def to_json(b: Briefing) -> dict:
    """The stable JSON shape: articles, claims, groups, contradictions (plus agreements and more)."""
    return {
        "claimdiff_version": __version__,
        "title": b.title,
        "generated_at": b.generated_at.isoformat(),
        "articles": [{"id": a.id, "title": a.title, "source": a.source,
                      "date": a.date.isoformat() if a.date else None, "path": a.path, "url": a.url,
                      "author": a.author, "fetched_at": a.fetched_at or None} for a in b.articles],
        "claims": [_claim(c) for c in b.claims],
        "groups": [{"id": g.id, "label": g.label, "claim_ids": list(g.claim_ids)} for g in b.groups],
        "contradictions": [{"id": c.id, "kind": c.kind, "claim_ids": list(c.claim_ids),
                            "confidence": c.confidence, "explanation": c.explanation,
                            "values": list(c.values), "group_id": c.group_id, "label": c.label}
                           for c in b.contradictions],
        "contested_points": [{"label": p.label, "kinds": list(p.kinds), "lead": p.lead.id,
                              "contradiction_ids": [c.id for c in p.pairs], "sources": p.sources,
                              "positions": [{"value": x.value, "voices": list(x.voices),
                                             "claim_ids": list(x.claim_ids)} for x in p.positions]}
                             for p in views.contested_points(b)],
        "agreements": [{"group_id": a.group_id, "label": a.label, "claim_ids": list(a.claim_ids),
                        "sources": list(a.sources)} for a in b.agreements],
        "unique": list(b.unique),
        "skipped": [{"path": s.path, "reason": s.reason} for s in b.skipped],
        "warnings": [{"path": s.path, "reason": s.reason} for s in b.warnings],
    }
