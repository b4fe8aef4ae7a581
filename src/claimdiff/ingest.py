"""Files -> Articles. The only analysis-side module that touches the file system.

Policy: a path the user named explicitly must be readable, or the run fails with a message naming it.
Files found by expanding a folder are skipped with a reason when unreadable (listed in the briefing's
appendix), unless options.strict makes every skip an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from . import web
from .errors import InputError, LimitError
from .model import Article, Options, Problem

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

HEADER_KEYS = {
    "title": "title", "headline": "title",
    "source": "source", "outlet": "source", "publisher": "source", "site": "source",
    "date": "date", "published": "date",
    "url": "url", "link": "url",
    "author": "author", "byline": "author", "by": "author",
}
JSON_TEXT_KEYS = ("text", "body", "content", "article")

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (Word, Excel or similar)",
    b"\x7fELF": "a program",
}
MIN_HTML_WORDS = 6
_HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,15}):\s*(.*?)\s*$")


@dataclass(frozen=True)
class Ingested:
    articles: tuple[Article, ...]
    skipped: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


class Unreadable(Exception):
    """One unreadable file or record; becomes an error or a skip depending on how it was named."""


class NotAnArticle(Unreadable):
    """A JSON object with no article text (a folder's notes, answers or settings): listed, never an error
    when it was found in a folder, even with --strict."""


def read_articles(paths: Iterable[str | os.PathLike], options: Options | None = None) -> Ingested:
    options = options or Options()
    paths = list(paths)
    if not paths:
        raise InputError("no input: name at least one article file or folder")
    articles: list[Article] = []
    skipped: list[Problem] = []
    warnings: list[Problem] = []
    seen_ids: set[str] = set()
    seen_text: dict[str, str] = {}
    ignored: set[str] = set()
    for path, explicit in _expand(paths, skipped, options):
        try:
            found = [_from_web(path, options, warnings)] if isinstance(path, str) else list(
                _read_file(path, options, warnings))
        except NotAnArticle as why:
            if explicit:
                raise InputError(f"{path}: {why}") from None
            skipped.append(Problem(str(path), str(why)))
            ignored.add(str(path))
            continue
        except Unreadable as why:
            if explicit or options.strict:
                raise InputError(f"{path}: {why}") from None
            skipped.append(Problem(str(path), str(why)))
            continue
        for article in found:
            digest = hashlib.sha1(_fingerprint(article.text).encode()).hexdigest()
            if digest in seen_text:
                # The same text in two files is one source, never two sources agreeing.
                skipped.append(Problem(article.path, f"duplicate of {seen_text[digest]}"))
                continue
            seen_text[digest] = article.path or article.id
            article = _with_unique_id(article, seen_ids)
            articles.append(article)
            if len(articles) > options.max_articles:
                raise LimitError(
                    f"more than {options.max_articles} articles (raise the limit with --max-articles)"
                )
    if options.strict and any(p.path not in ignored for p in skipped):
        first = next(p for p in skipped if p.path not in ignored)
        raise InputError(f"{first.path}: {first.reason}")
    if not articles:
        detail = f" ({skipped[0].path}: {skipped[0].reason})" if skipped else ""
        raise InputError(f"no readable articles in the input{detail}")
    return Ingested(tuple(articles), tuple(skipped), tuple(warnings))


def _expand(
    paths: list[str | os.PathLike], skipped: list[Problem], options: Options
) -> Iterator[tuple[Path | str, bool]]:
    """Each file to read, and whether the user named it; a web address is yielded as its string."""
    for raw in paths:
        text = os.fspath(raw)
        if not os.path.lexists(text) and web.scheme_of(text):
            if not web.is_web_address(text):
                raise InputError(f"{text}: only http and https addresses can be fetched, "
                                 f"not {web.scheme_of(text)}: (name a file by its path)")
            # A page that cannot be had stops the run when it is the only input; among others it is listed.
            yield text, len(paths) == 1
            continue
        path = Path(raw)
        if not os.path.lexists(path):
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            files = list(_walk(path, skipped))
            if not any(f.suffix.lower() in SUPPORTED for f in files):
                raise InputError(
                    f"{path}: no supported article files in this folder "
                    f"(looked for {', '.join(sorted(SUPPORTED))})"
                )
            for file in files:
                if file.suffix.lower() in SUPPORTED:
                    yield file, False
                elif not file.name.startswith("."):
                    skipped.append(Problem(str(file), f"unsupported file type '{file.suffix or file.name}'"))
        elif not path.exists():
            raise InputError(f"{path}: broken symbolic link")
        else:
            yield path, True


def _walk(folder: Path, skipped: list[Problem]) -> Iterator[Path]:
    """Every file below folder, sorted, each real folder visited once (so symlink loops end)."""
    visited: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = current.stat()
        except OSError as e:
            skipped.append(Problem(str(current), _os_reason(e)))
            continue
        if (st.st_dev, st.st_ino) in visited:
            continue
        visited.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(current.iterdir())
        except OSError as e:
            skipped.append(Problem(str(current), _os_reason(e)))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError as e:
                skipped.append(Problem(str(entry), _os_reason(e)))
                continue
            if is_dir:
                subfolders.append(entry)
            elif entry.exists():
                yield entry
            else:
                skipped.append(Problem(str(entry), "broken symbolic link"))
        stack.extend(reversed(subfolders))


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if error.errno == 40:  # ELOOP
        return "symbolic link loop"
    return error.strerror or type(error).__name__


def _read_file(path: Path, options: Options, warnings: list[Problem]) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise Unreadable(f"unsupported file type '{path.suffix or path.name}' (use .txt, .md, .html, .json or .jsonl)")
    try:
        size = path.stat().st_size
        if size > options.max_file_bytes:
            raise LimitError(
                f"{path}: file is {size:,} bytes, over the limit of {options.max_file_bytes:,} "
                "(raise it with --max-file-size)"
            )
        with path.open("rb") as fh:
            data = fh.read(options.max_file_bytes + 1)
    except OSError as e:
        raise Unreadable(f"cannot read: {_os_reason(e)}") from None
    text = decode(data)
    if not text.strip():
        raise Unreadable("empty article (no text)")
    if suffix in HTML_SUFFIXES:
        yield _from_html(path, text, warnings)
    elif suffix in JSON_SUFFIXES:
        yield from _from_json(path, text, warnings)
    elif suffix in JSONL_SUFFIXES:
        yield from _from_jsonl(path, text, warnings)
    else:
        yield _from_text(path, text, warnings)


def decode(data: bytes) -> str:
    """Bytes -> text. UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise Unreadable(f"this is {what}, not an article")
    return _clean(_check_text(_decode(data)))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("cannot decode: invalid UTF-16") from None
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    multibyte = len(re.findall(r"[^\x00-\x7f]", lenient)) - bad
    if multibyte > bad * 4:
        # Mostly valid UTF-8 with a few damaged bytes: keep the text, the damage shows as U+FFFD.
        return lenient
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _check_text(text: str) -> str:
    controls = sum(1 for ch in text[:100_000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, min(len(text), 100_000) // 100):
        raise Unreadable("cannot decode the text: it is full of control characters (binary data?)")
    return text


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n")


def _fingerprint(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def unique_name(base: str, seen: set[str]) -> str:
    """base, or base-2, base-3 ... whichever is not in seen yet; records it in seen."""
    candidate, n = base, 2
    while candidate in seen:
        candidate, n = f"{base}-{n}", n + 1
    seen.add(candidate)
    return candidate


def _with_unique_id(article: Article, seen: set[str]) -> Article:
    base = re.sub(r"[^\w.-]+", "-", article.id).strip("-") or "article"
    return replace(article, id=unique_name(base, seen))


def parse_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


_ENGLISH = {"the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "said", "as", "by",
            "it", "he", "at", "from", "his", "are", "be", "has", "have", "were", "an", "they", "not", "this"}


def looks_english(text: str) -> bool:
    words = re.findall(r"[a-zA-Z]+", text[:20_000].lower())
    if len(words) < 20:
        return True  # too short to tell; a headline
    return sum(w in _ENGLISH for w in words) / len(words) >= 0.08


def _valid_text(value: object) -> str:
    """A string that can be encoded: JSON may carry lone surrogates ("\\ud800"), which no output can hold."""
    return _SURROGATE.sub("\ufffd", str(value))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _make_article(path: Path, text: str, meta: dict, warnings: list[Problem], *, id_: str | None = None) -> Article:
    text = _valid_text(text)
    meta = {k: (_valid_text(v) if isinstance(v, str) else v) for k, v in meta.items()}
    body = text.strip()
    if not body:
        raise Unreadable("empty article (no text)")
    if not looks_english(body):
        warnings.append(Problem(str(path), "does not look like English; claimdiff reads English, so claims "
                                           "may be missed"))
    raw_date = meta.get("date")
    date = parse_date(raw_date)
    if raw_date and date is None:
        warnings.append(Problem(str(path), f"unparseable date {str(raw_date)[:40]!r} ignored"))
    return Article(
        id=_valid_text(id_ or path.stem),
        source=str(meta.get("source") or path.stem).strip(),
        text=body,
        title=str(meta.get("title") or "").strip(),
        date=date,
        url=str(meta.get("url") or "").strip(),
        author=str(meta.get("author") or "").strip(),
        path=str(path),
    )


def _from_text(path: Path, text: str, warnings: list[Problem]) -> Article:
    meta, body = split_header(text)
    if not meta.get("title"):
        first, _, rest = body.lstrip().partition("\n")
        heading = first.strip().lstrip("#").strip()
        # A short first line without a full stop is a headline; keeping it in the body would repeat it.
        if heading and len(heading) < 160 and not heading.endswith((".", "!", "?", '"', "”")) and rest.strip():
            meta["title"] = heading
            body = rest
    return _make_article(path, body, meta, warnings)


# Front matter is a few lines of metadata; anything larger is not front matter we will expand.
MAX_FRONT_MATTER = 64 * 1024
SCALARS = (str, int, float, dt.date)
_REFUSED = object()


def _front_matter(text: str):
    """YAML front matter, read without aliases: an alias can expand a few hundred bytes into gigabytes
    ("billion laughs"), and metadata never needs one. _REFUSED when the block is refused."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("aliases are not allowed in front matter")
            return super().compose_node(parent, index)

    if len(text) > MAX_FRONT_MATTER:
        return _REFUSED
    try:
        return yaml.load(text, Loader=NoAliases)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return _REFUSED
    except ValueError:  # PyYAML raises ValueError for dates like 2025-15-01
        return None


def split_header(text: str) -> tuple[dict, str]:
    """Split a `Key: value` header block or YAML front matter from the body."""
    stripped = text.lstrip("\n")
    if stripped.startswith("---\n"):
        end = stripped.find("\n---", 4)
        if end != -1:
            data = _front_matter(stripped[4:end])
            body = stripped[end + 4:].split("\n", 1)[-1] if "\n" in stripped[end + 4:] else ""
            if data is _REFUSED:
                return {}, body
            if isinstance(data, dict):
                # Only plain values of the keys we know: a list or a mapping says nothing we can show.
                meta = {HEADER_KEYS[k.lower()]: v for k, v in data.items()
                        if isinstance(k, str) and k.lower() in HEADER_KEYS and isinstance(v, SCALARS)}
                return meta, body
    lines = stripped.split("\n")
    meta: dict = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if meta:
                return meta, "\n".join(lines[i + 1:])
            break
        match = _HEADER_LINE.match(line)
        if not match or match.group(1).lower() not in HEADER_KEYS:
            break
        meta[HEADER_KEYS[match.group(1).lower()]] = match.group(2)
    return {}, stripped


def _from_html(path: Path, html: str, warnings: list[Problem]) -> Article:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        doc = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else doc
    except Exception as e:  # trafilatura raises assorted lxml errors on broken markup
        raise Unreadable(f"cannot parse the HTML ({type(e).__name__})") from None
    # Fewer words than a sentence means the extractor fell back to menus or a caption.
    if not doc or len((doc.get("text") or "").split()) < MIN_HTML_WORDS:
        raise Unreadable("no article text found in the HTML")
    meta = {
        "title": doc.get("title"),
        "source": doc.get("sitename") or doc.get("hostname"),
        "date": doc.get("date"),
        "url": doc.get("url"),
        "author": doc.get("author"),
    }
    return _make_article(path, doc["text"], meta, warnings)


def _from_web(url: str, options: Options, warnings: list[Problem]) -> Article:
    import trafilatura

    try:
        page = web.fetch(url, options.max_file_bytes, options.fetch_timeout)
    except web.FetchFailed as why:
        raise Unreadable(str(why)) from None

    try:
        doc = trafilatura.bare_extraction(page.html, url=page.final_url, with_metadata=True, include_comments=False)
        doc = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else doc
    except Exception as e:  # trafilatura raises assorted lxml errors on broken markup
        raise Unreadable(f"cannot parse the page ({type(e).__name__})") from None
    if not doc or len((doc.get("text") or "").split()) < MIN_HTML_WORDS:
        raise Unreadable("no article text found on the page")
    host = urllib.parse.urlsplit(page.final_url).hostname or "page"
    meta = {"title": doc.get("title"), "source": doc.get("sitename") or host, "date": doc.get("date"),
            "url": page.url, "author": doc.get("author")}
    slug = re.sub(r"[^\w-]+", "-", urllib.parse.urlsplit(page.final_url).path).strip("-")[-60:]
    article = _make_article(Path(host), doc["text"], meta, warnings, id_=f"{host}-{slug}" if slug else host)
    return replace(article, path="", fetched_at=page.fetched_at.isoformat(timespec="seconds"))


def _record(path: Path, obj: object, where: str, warnings: list[Problem], n: int, many: bool) -> Article:
    if not isinstance(obj, dict):
        raise Unreadable(f"{where}expected an object with a 'text' field, got {type(obj).__name__}")
    text = next((obj[k] for k in JSON_TEXT_KEYS if isinstance(obj.get(k), str)), None)
    if text is None and not many:
        raise NotAnArticle("not an article: a JSON object with no 'text' or 'body' field")
    if text is None:
        raise Unreadable(f"{where}no 'text' or 'body' field")
    meta = {HEADER_KEYS[k.lower()]: v for k, v in obj.items() if k.lower() in HEADER_KEYS}
    id_ = str(obj.get("id") or (f"{path.stem}-{n}" if many else path.stem))
    return _make_article(path, text, meta, warnings, id_=id_)


def _from_json(path: Path, text: str, warnings: list[Problem]) -> Iterator[Article]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise Unreadable(f"invalid JSON at line {e.lineno}: {e.msg}") from None
    except RecursionError:
        raise Unreadable("JSON nested too deeply to be an article") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, list):
        if not data:
            raise Unreadable("empty JSON list")
        for n, obj in enumerate(data, 1):
            yield _record(path, obj, f"item {n}: ", warnings, n, True)
    elif isinstance(data, dict):
        yield _record(path, data, "", warnings, 1, False)
    else:
        raise Unreadable(f"JSON must be an object or a list of objects, not {type(data).__name__}")


def jsonl_objects(path: Path, text: str, warnings: list[Problem]) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) of each non-blank line; a line that is not JSON becomes a warning."""
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as e:
            warnings.append(Problem(f"{path}:{lineno}", f"invalid JSON ({e.msg}); line skipped"))
        except RecursionError:
            warnings.append(Problem(f"{path}:{lineno}", "JSON nested too deeply; line skipped"))


def record_article(path: Path, obj: object, lineno: int, warnings: list[Problem]) -> Article:
    """One JSONL record -> Article (text/body plus the metadata keys); raises Unreadable."""
    return _record(path, obj, "", warnings, lineno, True)


def _from_jsonl(path: Path, text: str, warnings: list[Problem]) -> Iterator[Article]:
    count = 0
    for lineno, obj in jsonl_objects(path, text, warnings):
        try:
            article = record_article(path, obj, lineno, warnings)
        except Unreadable as why:
            warnings.append(Problem(f"{path}:{lineno}", f"{why}; line skipped"))
            continue
        count += 1
        yield article
    if not count:
        raise Unreadable("no readable JSON lines")
