"""Shared fixtures. Analysing a sample set takes about a second, so each is analysed once per run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from claimdiff import Options, analyse

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SAMPLE_SETS = sorted(p.parent.name for p in SAMPLES.glob("*/expected.json"))
FIXED_TIME = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def analysed():
    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = analyse([SAMPLES / name], Options(generated_at=FIXED_TIME))
        return cache[name]

    return get


@pytest.fixture(scope="session")
def expected():
    def get(name: str) -> dict:
        return json.loads((SAMPLES / name / "expected.json").read_text("utf-8"))

    return get


@pytest.fixture(scope="session")
def rendered_pdf(analysed):
    from claimdiff import render

    cache = {}

    def get(name: str) -> bytes:
        if name not in cache:
            cache[name] = render(analysed(name), "pdf")
        return cache[name]

    return get


def pdf_text(data: bytes) -> tuple[str, int]:
    """All the text of a PDF and its page count, read back with pypdf."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def squash(text: str) -> str:
    """Whitespace-insensitive text, since PDF extraction re-flows lines."""
    return " ".join(text.split())


@pytest.fixture
def write(tmp_path):
    def make(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make
