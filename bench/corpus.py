"""Deterministic article sets for the speed benchmark: sentences from the samples with varied names,
numbers and dates, about 800 words an article."""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["Harbour Bridge", "Alder River", "Port Alder", "Millbrook", "Kent Point", "Ridgeway", "Stonebay",
         "Elmwood", "Carrow", "Westfield", "Ashby", "Northgate"]
OUTLETS = ["Meridian Wire", "Northwire", "Alder Gazette", "The Capital Ledger", "Eastern Review",
           "Coastal Post", "Morning Record", "Evening Courier", "Daily Signal", "Harbour Times"]


def sample_sentences() -> list[str]:
    sentences = []
    for path in sorted((ROOT / "samples").glob("*/*")):
        if path.suffix not in {".txt", ".md"}:
            continue
        body = path.read_text("utf-8").split("\n\n", 1)[-1]
        if body.startswith("---"):
            body = body.split("---", 2)[-1]
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 5]
    return sentences


def vary(sentence: str, rng: random.Random) -> str:
    sentence = re.sub(r"\b\d[\d,]*\b", lambda m: f"{rng.randint(2, 9000):,}", sentence)
    for name in NAMES:
        if name in sentence:
            sentence = sentence.replace(name, rng.choice(NAMES))
    return sentence


def make_articles(count: int, seed: int = 7, words: int = 800) -> list[dict]:
    rng = random.Random(seed)
    pool = sample_sentences()
    articles = []
    for n in range(count):
        body, length = [], 0
        while length < words:
            sentence = vary(rng.choice(pool), rng)
            body.append(sentence)
            length += len(sentence.split())
        paragraphs = [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
        articles.append({"id": f"a{n:04d}", "source": f"{rng.choice(OUTLETS)} {n % 37}",
                         "date": f"2025-03-{1 + n % 28:02d}", "title": f"Report {n}", "text": "\n\n".join(paragraphs)})
    return articles


def write_folder(folder: Path, count: int, seed: int = 7) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for article in make_articles(count, seed):
        header = f"Title: {article['title']}\nSource: {article['source']}\nDate: {article['date']}\n\n"
        (folder / f"{article['id']}.txt").write_text(header + article["text"] + "\n", encoding="utf-8")
    return folder
