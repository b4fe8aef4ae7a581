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
        sentences += [s for s in split_sentences(body) if len(s.split()) > 5]
    return sentences


# A full stop after these ends no sentence: "the U.S. combat mission", "on Oct. 10".
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|Gen|Gov|Sen|Rep|Lt|Col|St|Jan|Feb|Mar|Apr|Jun|Jul|"
                           r"Aug|Sep|Sept|Oct|Nov|Dec)\.)$")


def split_sentences(text: str) -> list[str]:
    """Whole sentences. Splitting at every full stop cut "the U.S. combat mission" in two, and the
    halves, recombined at random, made sentences no article has ("Only a small number of U.S. The two
    leaders met ...")."""
    sentences: list[str] = []
    for piece in re.split(r"(?<=[.!?])\s+", text.strip()):
        if sentences and (_ABBREVIATION.search(sentences[-1]) or not piece[:1].isupper() and piece[:1] not in "\"“"):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_NUMBER = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})\b|\b(?P<day_first>\d{{1,2}})(?=\s+{_MONTH})"
                     r"|\b(?P<year>(?:19|20)\d\d)\b|\b(?P<hour>\d{1,2})(?=\s*[ap]\.m\.)|\b\d[\d,]*(?P<decimal>\.\d+)?\b")


def vary(sentence: str, rng: random.Random) -> str:
    """Other figures, days, hours and years: a day of the month stays a day ("July 14", not "July 4,664")."""

    def number(m: re.Match) -> str:
        if m.group("day"):
            return f"{m.group('month')} {rng.randint(1, 28)}"
        if m.group("day_first"):
            return str(rng.randint(1, 28))
        if m.group("year"):
            return str(rng.randint(2019, 2026))
        if m.group("hour"):
            return str(rng.randint(1, 12))
        if m.group("decimal"):
            return f"{rng.randint(10, 999) / 10:.1f}"
        return f"{rng.randint(2, 9000):,}"

    sentence = _NUMBER.sub(number, sentence)
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
