"""The typed data that flows between the pipeline stages. Frozen so that no stage edits another's output."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

INF = math.inf


@dataclass(frozen=True)
class Article:
    id: str
    source: str
    text: str
    title: str = ""
    date: dt.date | None = None
    url: str = ""
    author: str = ""
    path: str = ""
    fetched_at: str = ""  # for a page fetched from the web: when, ISO 8601 UTC


@dataclass(frozen=True)
class Problem:
    """An input that could not be read, or was read with a caveat; listed so nothing vanishes silently."""

    path: str
    reason: str


@dataclass(frozen=True)
class Quantity:
    """A number a claim gives. low/high carry approximation and bounds ("at least 14" -> 14..inf)."""

    value: float
    low: float
    high: float
    unit: str  # "count", "percent", "usd", "mm", ...
    counted: str  # normalised thing counted: "us troop"
    text: str  # as written, with its marker: "about 2,000"
    scope: tuple[str, ...] = ()  # places or bodies the number is about: ("iraq",)
    inherited: bool = False  # counted thing taken from an earlier sentence ("the number")
    display: str = ""  # the counted thing as written: "U.S. troops"
    measure: str = ""  # what it measures: a class ("deaths") or "thing|event" ("detainee|release"); see measures
    as_of: str = ""  # ISO date of the article that gives it: a later, larger cumulative figure is an update
    setting: tuple[str, ...] = ()  # the part a share is given for: ("sector", "private") for "in the private sector"

    @property
    def head(self) -> str:
        return self.counted.rsplit(" ", 1)[-1] if self.counted else ""


@dataclass(frozen=True)
class DateMention:
    text: str
    start: dt.date
    end: dt.date  # inclusive; a day has start == end
    relation: str = ""  # the preposition before it: on, in, by, after, since ...
    implicit: bool = False  # not written: a present-tense claim is about the article's date

    @property
    def is_day(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class Frame:
    """One event a claim asserts (see frames.py): who did what to whom, when, and whether it is denied.
    `agent` and `patient` are the content words of the doer and the thing done to, head first."""

    predicate: str
    negated: bool = False
    agent: tuple[str, ...] = ()
    patient: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # texts of the claim's date mentions that belong to this event
    noun: bool = False  # an event named by a noun: "Friday's exchange", "a meeting on 6 May"
    modal: bool = False  # may, might, could, would, should: not asserted as fact
    anyone: bool = False  # denied of every doer: "No inspection has ever recommended a limit"
    names: tuple[str, ...] = ()  # the people, places and bodies named in `agent`
    where: tuple[str, ...] = ()  # named places it happened in or went to: "checked into the Elm clinic"
    known: bool = False  # the patient is a known thing ("the alarm", "its offer"), not "an offer"
    text: str = ""  # the event's words as written: "was not breached", "remained open"
    voiced: bool = False  # the doer is whoever says it: "I declared it", "our own people cleared it"
    patient_names: tuple[str, ...] = ()  # the people, places and bodies named in `patient`
    rating: str = ""  # the grade it gives its patient: "poor" in "found the pier to be in poor condition"


@dataclass(frozen=True)
class Claim:
    id: str
    article_id: str
    index: int  # position of the claim in its article
    text: str
    speaker: str  # who makes the claim: a named speaker, or the article's source
    voice: str  # "own" (the article's narration) or "reported"
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    entities: tuple[str, ...] = ()  # normalised (aliases resolved)
    negated: bool = False
    hedged: bool = False
    refutes: bool = False  # the claim disputes or denies something ("the figure has been disputed")
    predicate: str = ""  # main verb lemma
    subject: str = ""  # who or what the predicate is about, normalised like Quantity.counted
    action: str = ""  # the predicate as written, with a short object: "signed the agreement"
    lemmas: tuple[str, ...] = ()  # content lemmas, for alignment
    keys: tuple[str, ...] = ()  # blocking keys, for alignment
    source: str = ""  # the article's source, copied for convenience
    refers_to: str = ""  # id of the claim a refutation points back to ("the number has been disputed")
    frames: tuple[Frame, ...] = ()  # the events it asserts, for comparing like with like


@dataclass(frozen=True)
class ClaimGroup:
    id: str
    label: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class Contradiction:
    id: str
    kind: str  # numeric | date | negation | dispute
    claim_ids: tuple[str, str]
    confidence: float
    explanation: str
    values: tuple[str, str] = ("", "")  # what each side says that conflicts
    group_id: str = ""
    label: str = ""  # what the two claims are about: "U.S. troops in Iraq — number"


@dataclass(frozen=True)
class Agreement:
    group_id: str
    label: str
    claim_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Options:
    """Every knob of the pipeline, passed through it as one object."""

    title: str | None = None
    align_threshold: float = 0.34  # pairs this similar are checked for contradictions
    group_threshold: float = 0.55  # pairs this similar form groups (agreements); stricter, so chains stay short
    max_file_bytes: int = 20_000_000  # a file's or a fetched page's size limit
    fetch_timeout: float = 20.0  # seconds a web page may take to arrive, redirects included
    max_articles: int = 2_000
    max_claims_per_article: int = 2_000
    strict: bool = False
    aliases: dict[str, str] = field(default_factory=dict)  # user-supplied extra aliases
    generated_at: dt.datetime | None = None
    parse_processes: int = 0  # spaCy worker processes; 0: one per core when there is enough to parse
    nli: Any = None  # an nli.NLIBackend, asked about aligned pairs the typed checks did not flag
    nli_threshold: float = 0.9
    # Whether a headline or one-line claim is weighed against whole articles that may refute it (stance.py).
    story_disputes: bool = True


@dataclass(frozen=True)
class Briefing:
    title: str
    generated_at: dt.datetime
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]
    groups: tuple[ClaimGroup, ...]
    contradictions: tuple[Contradiction, ...]
    agreements: tuple[Agreement, ...]
    unique: tuple[str, ...]  # claim ids only one source makes
    skipped: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    def claim(self, claim_id: str) -> Claim:
        return self._claims_by_id[claim_id]

    def article(self, article_id: str) -> Article:
        return self._articles_by_id[article_id]

    # cached_property writes straight into __dict__, so it works on a frozen dataclass.
    @cached_property
    def _claims_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    @cached_property
    def _articles_by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @cached_property
    def _views(self) -> dict[str, Any]:
        """What the outputs derive from the briefing (its contested points), made once for all of them."""
        return {}
