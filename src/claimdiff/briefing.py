"""Everything -> Briefing: the title, what the sources agree on, what only one says, the numbers table
and the timeline. Plus the small helpers templates call (word diffs), which return data, not markup."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .align import Pair, as_written, group_claims, overlap, same_thing, split_counted, terms
from .contradict import event_class, who
from .dates import describe
from .model import (
    Agreement,
    Article,
    Briefing,
    Claim,
    ClaimGroup,
    Contradiction,
    Options,
    Problem,
    Quantity,
)
from .nlp import Aliases
from .quantities import intervals_conflict


@dataclass(frozen=True)
class NumberRow:
    label: str
    cells: tuple[tuple[str, str, bool], ...]  # (source, value as written, contested)


@dataclass(frozen=True)
class TimelineEntry:
    date: str  # ISO day, month or year; a vague span as the source wrote it ("late 2017")
    sort_key: dt.date
    text: str
    sources: tuple[str, ...]  # everyone who says this, with this date
    claim_ids: tuple[str, ...]
    contested: bool


def build_briefing(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    groups: Sequence[ClaimGroup],
    contradictions: Sequence[Contradiction],
    options: Options,
    skipped: Sequence[Problem] = (),
    warnings: Sequence[Problem] = (),
    pairs: Sequence[Pair] = (),
) -> Briefing:
    agreements = find_agreements(claims, pairs, contradictions, options)
    contested_claims = {cid for c in contradictions for cid in c.claim_ids}
    agreed_claims = {cid for a in agreements for cid in a.claim_ids}
    by_id = {c.id: c for c in claims}
    unique: list[str] = []
    seen_groups: set[str] = set()
    grouped = {cid: g for g in groups for cid in g.claim_ids}
    aliases = Aliases(options.aliases)
    voices: dict[str, int] = {}  # group id -> how many voices; counted once per group, not once per claim
    for claim in claims:
        if claim.id in contested_claims or claim.id in agreed_claims:
            continue
        group = grouped.get(claim.id)
        if group is None:
            unique.append(claim.id)
            continue
        if group.id not in voices:
            voices[group.id] = len(_sources([by_id[c] for c in group.claim_ids], aliases))
        if group.id not in seen_groups and voices[group.id] == 1:
            # One source saying the same thing twice: list it once.
            seen_groups.add(group.id)
            unique.append(claim.id)
    generated = options.generated_at or dt.datetime.now(dt.UTC)
    return Briefing(
        title=options.title or derive_title(articles, claims),
        generated_at=generated,
        articles=tuple(articles),
        claims=tuple(claims),
        groups=tuple(groups),
        contradictions=tuple(contradictions),
        agreements=tuple(agreements),
        unique=tuple(unique),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
    )


def find_agreements(
    claims: Sequence[Claim], pairs: Sequence[Pair], contradictions: Sequence[Contradiction], options: Options
) -> list[Agreement]:
    """Claims two or more sources make: closely aligned pairs of different voices that no check flagged,
    joined into components. A contested figure can still be one several sources agree on."""
    by_id = {c.id: c for c in claims}
    contested = {frozenset(c.claim_ids) for c in contradictions}
    stems = {c.id: terms(c) for c in claims}  # once a claim, not once a pair
    agreeing = [p for p in pairs if p.score >= options.group_threshold
                and _says_the_same(by_id[p.a], by_id[p.b], stems[p.a], stems[p.b])]
    components = group_claims(claims, agreeing, cannot_link=contested)
    aliases = Aliases(options.aliases)
    order = {c.id: i for i, c in enumerate(claims)}
    out = []
    for component in components:
        members = [by_id[cid] for cid in component.claim_ids]
        sources = _sources(members, aliases)
        if len(sources) >= 2:
            out.append(Agreement(component.id, component.label, component.claim_ids, tuple(sources)))
    out.sort(key=lambda a: (-len(a.sources), order[a.claim_ids[0]]))
    return [Agreement(f"a{i + 1}", a.label, a.claim_ids, a.sources) for i, a in enumerate(out)]


def _says_the_same(a: Claim, b: Claim, terms_a: set[str], terms_b: set[str]) -> bool:
    """Backing, not just the same topic: the same figure for the same thing, or the same predicate with
    most of the same words, in the same polarity."""
    if a.refutes or b.refutes or a.negated != b.negated:
        return False
    for x in a.quantities:
        for y in b.quantities:
            if same_thing(x, y):
                return not intervals_conflict((x.low, x.high), (y.low, y.high), exact=x.low == x.high == y.low)
    same_event = a.predicate == b.predicate or (event_class(a.predicate) is not None
                                                 and event_class(a.predicate) == event_class(b.predicate))
    return same_event and overlap(terms_a, terms_b, {}) >= 0.5


def _sources(claims: Sequence[Claim], aliases: Aliases | None = None) -> list[str]:
    """The distinct voices behind claims. The Pentagon quoted by three outlets is one voice; so is an
    outlet repeating itself. Each voice is named with the outlets that carry it."""
    aliases = aliases or Aliases()
    voices: dict[str, dict[str, None]] = {}  # voice -> its outlets, in order (a dict as an ordered set)
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    for claim in claims:
        if claim.speaker not in keys:
            keys[claim.speaker] = aliases(claim.speaker)
        key = keys[claim.speaker]
        names.setdefault(key, claim.speaker)
        outlets = voices.setdefault(key, {})
        if claim.source != claim.speaker:
            outlets[claim.source] = None
    return [names[k] + (f" (per {', '.join(v)})" if v else "") for k, v in voices.items()]


def derive_title(articles: Sequence[Article], claims: Sequence[Claim]) -> str:
    if len(articles) == 1 and articles[0].title:
        return articles[0].title
    named: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        named[claim.article_id].update(claim.entities)
    mentions: Counter = Counter()
    for names in named.values():
        mentions.update(names)  # how many articles name each entity
    # Ties broken by name: a set's order changes from one process to the next.
    ranked = sorted(mentions.items(), key=lambda item: (-item[1], item[0]))
    top = [as_written(name, claims) for name, _ in ranked[:3]]
    if not top:
        return f"What {len(articles)} sources say"
    subject = top[0] if len(top) == 1 else ", ".join(top[:-1]) + " and " + top[-1]
    return f"{subject}: what {len(articles)} source{'s' if len(articles) != 1 else ''} say"


# ---------------------------------------------------------------- helpers for the templates


def unique_by_source(briefing: Briefing) -> list[tuple[Article, list[Claim]]]:
    """The claims only one source makes, grouped by article, in reading order."""
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for cid in briefing.unique:
        claim = briefing.claim(cid)
        by_article[claim.article_id].append(claim)
    return [(a, by_article[a.id]) for a in briefing.articles if by_article.get(a.id)]


@dataclass(frozen=True)
class Position:
    """One side of a contested point: what is said, and every voice that says it."""
    value: str
    voices: tuple[str, ...]
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class ContestedPoint:
    """One fact the sources disagree on, with every conflicting pair of claims about it."""
    label: str
    lead: Contradiction  # the clearest pair, shown side by side
    pairs: tuple[Contradiction, ...]  # every conflicting pair, the lead first
    positions: tuple[Position, ...]  # who says what, one entry per distinct value
    sources: int  # how many articles speak of the fact (its aligned claims included)

    @property
    def kind(self) -> str:
        return self.lead.kind

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.kind for c in self.pairs))

    @property
    def others(self) -> tuple[Contradiction, ...]:
        return self.pairs[1:6]

    @property
    def total(self) -> int:
        return len(self.pairs)

    @property
    def unlisted(self) -> int:
        return self.total - 1 - len(self.others)

    @property
    def voices(self) -> int:
        return len({v for p in self.positions for v in p.voices})


def ranked_contradictions(briefing: Briefing) -> list[Contradiction]:
    """Clearest first: confident conflicts between more distinct sources."""
    def weight(c: Contradiction) -> float:
        sources = {briefing.claim(cid).source for cid in c.claim_ids}
        return c.confidence * (1.0 + 0.25 * (len(sources) - 1))

    return sorted(briefing.contradictions, key=lambda c: -weight(c))


def counts_line(briefing: Briefing) -> str:
    """The counts every output gives in the same words: "5 sources, 38 claims, 6 contested points (12
    conflicting pairs), 3 agreed points"."""
    points = len(contested_points(briefing))
    pairs = len(briefing.contradictions)
    contested = f"{points} contested point{'s' if points != 1 else ''}"
    if pairs != points:
        contested += f" ({pairs} conflicting pairs)"
    agreed = len(briefing.agreements)
    return (f"{len(briefing.articles)} source{'s' if len(briefing.articles) != 1 else ''}, "
            f"{len(briefing.claims)} claims, {contested}, {agreed} agreed point{'s' if agreed != 1 else ''}")


def contested_points(briefing: Briefing) -> list[ContestedPoint]:
    """Conflicting pairs about one fact, joined into one point, most important first (see _join_points);
    made once per briefing, however many outputs show them."""
    if "points" not in briefing._views:
        briefing._views["points"] = tuple(_join_points(briefing))
    return list(briefing._views["points"])


def _join_points(briefing: Briefing) -> list[ContestedPoint]:
    """Conflicting pairs about one fact, joined into one point, most important first.

    Two pairs are about one fact when they share a claim (the ministry's 900 set against 1,200 and
    against "the figure has been disputed"), unless both are figures of different things from one
    sentence; or when they are of one kind with one label. A point matters more when more of the
    articles speak of the fact, when more voices take part, when it is surer, and when the figures lie
    further apart."""
    ranked = ranked_contradictions(briefing)
    parent = list(range(len(ranked)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int | None) -> None:
        if j is not None:
            parent[root(i)] = root(j)

    by_label: dict[tuple[str, str], int] = {}
    other_on: dict[str, int] = {}  # claim -> a pair of any kind but numeric on it
    figures_on: dict[str, dict[str, int]] = defaultdict(dict)  # claim -> label -> a numeric pair on it
    for i, c in enumerate(ranked):
        join(i, by_label.setdefault((c.kind, c.label), i))
        for cid in c.claim_ids:
            join(i, other_on.get(cid))
            if c.kind == "numeric":
                join(i, figures_on[cid].setdefault(c.label, i))
            else:
                for j in figures_on[cid].values():
                    join(i, j)
                other_on.setdefault(cid, i)
    members: dict[int, list[Contradiction]] = defaultdict(list)
    for i, c in enumerate(ranked):
        members[root(i)].append(c)
    group_articles: dict[str, set[str]] = {
        g.id: {briefing.claim(cid).article_id for cid in g.claim_ids} for g in briefing.groups}
    points = []
    for pairs in members.values():
        claim_ids = [cid for c in pairs for cid in c.claim_ids]
        articles = {briefing.claim(cid).article_id for cid in claim_ids}
        for c in pairs:
            articles |= group_articles.get(c.group_id, set())
        label = Counter(c.label for c in pairs).most_common(1)[0][0] if pairs[0].label == "" else pairs[0].label
        points.append(ContestedPoint(label=label, lead=pairs[0], pairs=tuple(pairs),
                                     positions=_positions(briefing, pairs), sources=len(articles)))

    def importance(point: ContestedPoint) -> tuple:
        involved = len({briefing.claim(cid).article_id for c in point.pairs for cid in c.claim_ids})
        return (-involved, -point.sources, -point.voices, -max(c.confidence for c in point.pairs),
                -_spread(briefing, point.pairs))

    return sorted(points, key=importance)


def _positions(briefing: Briefing, pairs: Sequence[Contradiction]) -> tuple[Position, ...]:
    """Who says what: each claim with the words it conflicts by (the shortest it is given in any pair),
    claims saying the same words joined."""
    said: dict[str, str] = {}
    for c in pairs:
        for cid, value in zip(c.claim_ids, c.values, strict=True):
            value = value or briefing.claim(cid).text
            if cid not in said or len(value) < len(said[cid]):
                said[cid] = value
    figures = [q for c in pairs if c.kind == "numeric" for cid, text in zip(c.claim_ids, c.values, strict=True)
               for q in briefing.claim(cid).quantities if q.text == text]
    for cid, value in said.items():
        # "About 900 soldiers are stationed there ..." set against "the figure has been
        # disputed" says 2,400 of the thing the point's figures count.
        claim = briefing.claim(cid)
        if len(value.split()) > 6 and not claim.refutes:
            said[cid] = next((q.text for q in claim.quantities
                              if any(q.counted == f.counted or same_thing(q, f) for f in figures)), value)
    by_value: dict[str, tuple[str, list[str], list[str]]] = {}
    for cid, value in said.items():
        key = " ".join(value.lower().split())
        entry = by_value.setdefault(key, (value, [], []))
        voice = who(briefing.claim(cid))
        if voice not in entry[1]:
            entry[1].append(voice)
        entry[2].append(cid)
    return tuple(Position(value, tuple(voices), tuple(ids)) for value, voices, ids in by_value.values())


def _spread(briefing: Briefing, pairs: Sequence[Contradiction]) -> float:
    """How far apart the figures of a point lie, as a share of the larger (0 for anything but figures)."""
    widest = 0.0
    for c in pairs:
        if c.kind != "numeric":
            continue
        values = []
        for cid, text in zip(c.claim_ids, c.values, strict=True):
            quantity = next((q for q in briefing.claim(cid).quantities if q.text == text), None)
            if quantity is not None:
                values.append(abs(quantity.value))
        if len(values) == 2 and max(values) > 0:
            widest = max(widest, abs(values[0] - values[1]) / max(values))
    return widest


_TOKEN = re.compile(r"\w[\w'’.,%$/-]*\w|\w|[^\w\s]")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(space before, token) pairs, so the text can be put back exactly as written."""
    out, last = [], 0
    for match in _TOKEN.finditer(text):
        out.append((text[last:match.start()], match.group()))
        last = match.end()
    return out


def word_diff(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Word-level differences (stdlib difflib): each side as (text, differs) runs for the template to
    highlight. Spaces and punctuation are never highlighted; case does not count as a difference."""
    ta, tb = _tokens(a), _tokens(b)
    matcher = difflib.SequenceMatcher(a=[t.lower() for _, t in ta], b=[t.lower() for _, t in tb],
                                      autojunk=False)
    changed_a, changed_b = set(), set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            changed_a.update(range(i1, i2))
            changed_b.update(range(j1, j2))
    return _runs(ta, changed_a), _runs(tb, changed_b)


def marked_diff(contradiction: Contradiction, left: str, right: str
                ) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Each side as (text, mark) runs: 2 for the words the conflict is about (its values, "2,500" against
    "closer to 3,500"), 1 for other words that differ, 0 for the rest."""
    out = []
    for text, runs, value in zip((left, right), word_diff(left, right), contradiction.values, strict=True):
        levels: list[int] = []
        for run, changed in runs:
            levels += [1 if changed else 0] * len(run)
        levels = (levels + [0] * len(text))[:len(text)]
        found = text.lower().find(value.lower()) if value and len(value) < len(text) else -1
        if found >= 0:
            levels[found:found + len(value)] = [2] * len(value)
        marked: list[tuple[str, int]] = []
        for ch, level in zip(text, levels, strict=True):
            if marked and marked[-1][1] == level:
                marked[-1] = (marked[-1][0] + ch, level)
            else:
                marked.append((ch, level))
        out.append(marked)
    return out[0], out[1]


def _runs(tokens: list[tuple[str, str]], changed: set[int]) -> list[tuple[str, bool]]:
    runs: list[tuple[str, bool]] = []
    for i, (space, token) in enumerate(tokens):
        differs = i in changed and any(ch.isalnum() for ch in token)
        # A space between two highlighted words belongs to the highlight; any other space does not.
        if space:
            _append(runs, space, differs and bool(runs) and runs[-1][1])
        _append(runs, token, differs)
    return runs


def _append(runs: list[tuple[str, bool]], text: str, changed: bool) -> None:
    if runs and runs[-1][1] == changed:
        runs[-1] = (runs[-1][0] + text, changed)
    else:
        runs.append((text, changed))


def number_rows(briefing: Briefing) -> list[NumberRow]:
    """One row per counted thing that more than one voice gives a figure for, one cell per voice."""
    contested = {cid for c in briefing.contradictions if c.kind == "numeric" for cid in c.claim_ids}
    rows: list[tuple[Quantity, dict[str, tuple[str, bool]]]] = []
    # Rows filed by what same_thing() requires to be equal, so a figure is tested against the rows that
    # can take it rather than against every row (quadratic with thousands of articles).
    filed: dict[tuple, list[tuple[Quantity, dict[str, tuple[str, bool]]]]] = defaultdict(list)
    for claim in briefing.claims:
        if claim.refutes:
            continue
        for quantity in claim.quantities:
            if not quantity.counted:
                continue
            _, roles, head = split_counted(quantity.counted)
            shelf = filed[(quantity.unit, roles, head)]
            cells = next((cells for first, cells in shelf if same_thing(first, quantity)), None)
            if cells is None:
                cells = {}
                rows.append((quantity, cells))
                shelf.append((quantity, cells))
            when = next((d.text for d in claim.dates if not d.implicit and d.relation in {"in", "on", ""}), "")
            value = f"{quantity.text} ({when})" if when else quantity.text
            cells.setdefault(who(claim), (value, claim.id in contested))
    return [
        NumberRow(first.display or split_counted(first.counted)[2], tuple((k, v, c) for k, (v, c) in cells.items()))
        for first, cells in rows
        if len(cells) >= 2
    ]


def timeline(briefing: Briefing) -> list[TimelineEntry]:
    """Dated claims in date order. The same sentence with the same date from several sources (wire copy
    reprinted) is one entry naming them all."""
    contested = {cid for c in briefing.contradictions if c.kind == "date" for cid in c.claim_ids}
    merged: dict[tuple[str, str], tuple[dt.date, list[Claim]]] = {}  # (day, wording) -> (start, claims)
    for claim in briefing.claims:
        mention = next((m for m in claim.dates if not m.implicit), None)
        if mention is None:
            continue
        day = describe(mention.start, mention.end)
        if ".." in day:
            day = mention.text  # "late 2017", not the span it was read as; still sorted by that span
        merged.setdefault((day, " ".join(claim.text.lower().split())), (mention.start, []))[1].append(claim)
    entries = [
        TimelineEntry(date=day, sort_key=start, text=claims[0].text,
                      sources=tuple(dict.fromkeys(who(c) for c in claims)),
                      claim_ids=tuple(c.id for c in claims), contested=any(c.id in contested for c in claims))
        for (day, _), (start, claims) in merged.items()
    ]
    entries.sort(key=lambda e: (e.sort_key, e.date, e.sources))
    return entries


def coverage(briefing: Briefing, limit: int = 12, max_sources: int = 20
             ) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Sources x topics: how many claims each source makes in each group (the busiest groups, and the
    sources with most claims in them)."""
    sizes = sorted(briefing.groups, key=lambda g: (-len(g.claim_ids), g.id))[:limit]
    topics = [g.label for g in sizes]
    weight: Counter = Counter(briefing.claim(cid).source for g in sizes for cid in g.claim_ids)
    sources = list(dict.fromkeys(a.source for a in briefing.articles))
    if len(sources) > max_sources:
        keep = {s for s, _ in weight.most_common(max_sources)}
        sources = [s for s in sources if s in keep]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for group in sizes:
        for cid in group.claim_ids:
            counts[(briefing.claim(cid).source, group.label)] += 1
    return sources, topics, dict(counts)


def date_range(briefing: Briefing) -> str:
    days = sorted(a.date for a in briefing.articles if a.date)
    if not days:
        return ""
    return days[0].isoformat() if days[0] == days[-1] else f"{days[0].isoformat()} – {days[-1].isoformat()}"
