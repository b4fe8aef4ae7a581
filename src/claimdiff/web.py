"""Articles from the web: fetch one http(s) page within bounds of size, time and redirects.

What a page says is extracted by ingest (trafilatura), like a saved HTML file; this module only gets
the bytes, and refuses what it should not fetch: other schemes, redirects to them, endless redirects,
pages over the size limit, servers slower than the time limit, and responses that are not web pages."""

from __future__ import annotations

import datetime as dt
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


def user_agent() -> str:
    from . import __version__

    return f"claimdiff/{__version__} (source comparison briefings; fetches only the pages it is given)"

MAX_REDIRECTS = 5
PAGE_TYPES = {"text/html", "application/xhtml+xml"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


class FetchFailed(Exception):
    """A page that could not be fetched; the message says why, in a few words."""


@dataclass(frozen=True)
class Page:
    url: str  # as the user gave it
    final_url: str  # after redirects
    html: str
    fetched_at: dt.datetime


def scheme_of(raw: str) -> str:
    """The scheme of an address ("https", "file"), or "" for a plain path. A Windows drive letter
    ("C:") is a path."""
    match = _SCHEME.match(raw)
    if not match or (len(match.group(1)) == 1 and raw[1:3] in {":\\", ":/"}):
        return ""
    return match.group(1).lower()


def is_web_address(raw: str) -> bool:
    return scheme_of(raw) in {"http", "https"}


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("Location") or headers.get("URI") or ""
        if scheme_of(urllib.parse.urljoin(req.full_url, target)) not in {"http", "https"}:
            raise FetchFailed(f"redirected to a non-web address ({target[:80]})")
        try:
            return super().http_error_302(req, fp, code, msg, headers)
        except urllib.error.HTTPError as e:
            if 300 <= e.code < 400:
                raise FetchFailed(f"too many redirects (more than {MAX_REDIRECTS}, or a loop)") from None
            raise

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url: str, max_bytes: int, timeout: float) -> Page:
    """The page at `url`, read within `max_bytes` and `timeout` seconds in all."""
    if not is_web_address(url):
        raise FetchFailed("only http and https addresses can be fetched")
    opener = urllib.request.build_opener(_Redirects)
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": "text/html,*/*;q=0.1"})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in PAGE_TYPES:
                raise FetchFailed(f"not a web page ({content_type})")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchFailed(f"the page is {int(length):,} bytes, over the limit of {max_bytes:,} "
                                  "(raise it with --max-file-size)")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchFailed(f"no complete answer within {timeout:g} seconds")
                chunk = response.read(65_536)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchFailed(f"the page is over the limit of {max_bytes:,} bytes "
                                      "(raise it with --max-file-size)")
                chunks.append(chunk)
            final_url = response.geturl()
            charset = response.headers.get_content_charset() or ""
    except FetchFailed:
        raise
    except urllib.error.HTTPError as e:
        raise FetchFailed(f"the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchFailed(f"no answer within {timeout:g} seconds") from None
        raise FetchFailed(f"cannot connect: {reason}") from None
    except TimeoutError:
        raise FetchFailed(f"no answer within {timeout:g} seconds") from None
    except (OSError, ValueError) as e:
        raise FetchFailed(f"cannot fetch: {e}") from None
    data = b"".join(chunks)
    return Page(url=url, final_url=final_url, html=_decode(data, charset), fetched_at=dt.datetime.now(dt.UTC))


def _decode(data: bytes, charset: str) -> str:
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            pass
    from .ingest import decode

    return decode(data)
