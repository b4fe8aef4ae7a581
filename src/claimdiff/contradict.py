"""Aligned claim pairs -> typed Contradictions, each with a confidence and an explanation that names
both speakers and what conflicts. Checks are typed and explainable; none is a black box."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence

from . import quantities as q
from .align import Pair, label, label_key, name_ranks, same_thing, similarity, split_counted, term_weights
from .dates import describe, overlaps, time_range
from .eventcheck import EVENT_CHECKS, HEADLINE_EVENT_CHECKS
from .lexicon import PREDICATE_SIDES
from .measures import cumulative, same_thing_counted
from .model import Claim, ClaimGroup, Contradiction, Options, Quantity
from .stance import may_refute, shipped_model, story_disputes

EVENT_SYNONYMS = [
    {"sign", "seal", "conclude", "ink", "finalize", "reach", "strike"},
    {"meet", "talk", "visit", "host"},
    {"vote", "pass", "approve", "adopt"},
    {"die", "kill", "perish"},
    {"breach", "collapse", "fail", "burst", "give"},
    {"open", "reopen"},
    {"hold", "take"},
]
RELAY_SIMILARITY = 0.3


def who(claim: Claim) -> str:
    """The speaker, and the outlet that reports them when that is someone else."""
    if claim.voice == "own" or claim.speaker == claim.source:
        return claim.speaker
    return f"{claim.speaker} (per {claim.source})"


def same_time(a: Claim, b: Claim) -> bool:
    ra, rb = time_range(a), time_range(b)
    return ra is None or rb is None or overlaps(ra, rb)


def _confidence(base: float, pair: Pair, *claims: Claim) -> float:
    value = base * (0.6 + 0.4 * pair.score)
    if any(c.hedged for c in claims):
        value *= 0.75
    return round(max(0.05, min(0.99, value)), 2)


def check_numeric(a: Claim, b: Claim, pair: Pair) -> tuple[float, str, tuple[str, str]] | None:
    if not (a.quantities and b.quantities) or a.refutes or b.refutes or not same_time(a, b):
        return None
    if _looks_back(a) != _looks_back(b):
        return None  # "a crush at another stadium in 2015 killed 10 people": another event's figure
    names_a, names_b = names(a), names(b)
    if names_a and names_b and not _names_meet(names_a | _voice(a), names_b | _voice(b)) and _dated(a) != _dated(b):
        # "killed 26,000 people in Bam in December 2003" and "killed 10 on Qeshm island": another place
        # and a date on one side only tell of another event, also when the article has no date.
        return None
    best = None
    for qa in a.quantities:
        for qb in b.quantities:
            if not (same_thing(qa, qb) or _reworded(qa, qb, pair)):
                continue
            if _also_given(a, qb, qa) or _also_given(b, qa, qb):
                continue  # "20 patients remain in hospital, three of them in intensive care" against "three patients"
            exact = qa.low == qa.high and qb.low == qb.high
            if not q.intervals_conflict((qa.low, qa.high), (qb.low, qb.high), exact=exact):
                continue
            if updated(qa, qb) or _undated_run(qa, qb):
                continue
            gap = _gap(qa, qb)
            conf = _confidence(0.55 + 0.45 * min(1.0, gap / 0.3), pair, a, b)
            if qa.inherited or qb.inherited:
                conf = round(conf * 0.9, 2)
            if best is None or conf > best[0]:
                thing = qa.display or qb.display or split_counted(qa.counted)[2]
                if thing.lower() in q.UNITS or thing.lower() in q.PHYSICAL_UNITS:
                    thing = ""  # "9,000 hectares", not "9,000 hectares of hectares"
                if thing and qa.unit != "count" and not thing.startswith("of "):
                    thing = "of " + thing  # "300 millimetres of rain"
                explanation = f"{who(a)}: {qa.text} {thing}; {who(b)}: {qb.text}".strip()
                best = (conf, explanation, (qa.text, qb.text))
    return best


# Two sentences this alike that count the same thing give one measure even when their verbs differ
# ("will donate one million doses of the vaccine" / "will send 500,000 doses of the vaccine").
REWORDED = 0.6


# A claim whose every date ends this long before its article speaks of earlier events ("in 2021", "in October
# 2022" in an article of March 2023); a news story's own events fall within weeks of it.
BACKGROUND_DAYS = 120


def _dated(claim: Claim) -> bool:
    """Does the claim give a year ("in December 2003"), as background about another event does?"""
    return any(not d.implicit and re.search(r"\b(1[89]|20)\d\d\b", d.text) for d in claim.dates)


def _looks_back(claim: Claim) -> bool:
    """Does the claim speak of the past: every date it gives ends a year or more before its article?"""
    as_of = next((q.as_of for q in claim.quantities if q.as_of), "")
    dates = [d for d in claim.dates if not d.implicit]
    if not as_of or not dates:
        return False
    cutoff = dt.date.fromisoformat(as_of) - dt.timedelta(days=BACKGROUND_DAYS)
    return all(d.end < cutoff for d in dates)


def _also_given(claim: Claim, figure: Quantity, besides: Quantity) -> bool:
    """Does the claim itself give `figure`, as a part of another or unmeasured ("four of them")? Then the
    other side's figure agrees with it, whatever it is set against."""
    return any(x is not besides and not x.counted and x.value == figure.value and x.unit == figure.unit
               for x in claim.quantities)


def _reworded(qa: Quantity, qb: Quantity, pair: Pair) -> bool:
    return (pair.score >= REWORDED and qa.unit == qb.unit and bool(qa.measure) and bool(qb.measure)
            and "|" in qa.measure and "|" in qb.measure and same_thing_counted(qa.measure, qb.measure)
            and qa.counted.rpartition("|")[0] == qb.counted.rpartition("|")[0])


def updated(qa: Quantity, qb: Quantity) -> bool:
    """A later, larger figure of a measure that only grows (deaths, arrests, how long an event has lasted)
    is an update of the earlier."""
    # A length of time of an event still going on grows like a toll ("four days of riots", later "eight").
    if not (cumulative(qa.measure) or qa.unit == "s") or not qa.as_of or not qb.as_of or qa.as_of == qb.as_of:
        return False
    earlier, later = (qa, qb) if qa.as_of < qb.as_of else (qb, qa)
    if qa.unit == "s":
        # A run can only have grown by the time between the articles: "three days of protests", three
        # days later "six days", not "six months of talks", a day later "nearly a year".
        elapsed = (dt.date.fromisoformat(later.as_of) - dt.date.fromisoformat(earlier.as_of)).days * 86_400
        return earlier.value <= later.value <= earlier.value + elapsed + 86_400
    return later.value >= earlier.value


def _undated_run(qa: Quantity, qb: Quantity) -> bool:
    """How long something has gone on ("three days of protests", "four days of protest"), where an article
    has no date to tell whether the other figure is a later count of the same run."""
    return qa.unit == "s" and (not qa.as_of or not qb.as_of) and (
        qa.measure.endswith("|") or qb.measure.endswith("|"))


def _gap(qa: Quantity, qb: Quantity) -> float:
    lo_gap = max(qa.low, qb.low) - min(qa.high, qb.high)
    scale = max(abs(qa.value), abs(qb.value), 1e-9)
    return max(0.0, lo_gap) / scale


def event_class(predicate: str) -> int | None:
    for i, words in enumerate(EVENT_SYNONYMS):
        if predicate in words:
            return i
    return None


def apart(a: Claim, b: Claim) -> bool:
    """Do two claims speak of different places, people or things? Both name some, no name of one is
    a name of the other, and their subjects differ: "the Carrow bridge reopened on Monday" and "the
    Ridgeway bridge reopened on Monday" say nothing against each other, however alike the sentences."""
    names_a, names_b = names(a), names(b)
    return bool(names_a and names_b and not _names_meet(names_a, names_b) and a.subject != b.subject)


def _voice(claim: Claim) -> frozenset[str]:
    """The person or body quoted, when written as a name: a figure Mr Doe gives is about the story Mr Doe
    is in. A description ("the governor of the island") may be of another holder of the office."""
    words = claim.speaker.split()
    if claim.voice != "reported" or not words or not all(w[:1].isupper() for w in words):
        return frozenset()
    return frozenset([claim.speaker.lower()])


def _names_meet(names_a: frozenset[str], names_b: frozenset[str]) -> bool:
    """A name meets another when the words of one are all in the other: "lindqvist" is "judge ana lindqvist"."""
    words_b = [set(n.split()) for n in names_b]
    for name in names_a:
        words = set(name.split())
        if any(words <= other or other <= words for other in words_b):
            return True
    return False


def names(claim: Claim) -> frozenset[str]:
    """The places, people and things a claim names: its entities, else its named actors, else the words
    of its subject the text writes as a name. The recognizer tags "Port Esk" in one reprint of a
    sentence and misses it in the next, and "the Port Esk bridge reopened on Monday" is still not
    about Northgate."""
    if claim.entities:
        return frozenset(claim.entities)
    named = split_counted(claim.subject)[0]
    if named:
        return named
    # Capitalised past the sentence's first word: "Officials said" names no one, "the Port Esk" does.
    written = [w for w in claim.subject.rpartition("|")[2].split() if any(
        m.start() > 0 for m in re.finditer(r"\b" + re.escape(w[:1].upper() + w[1:]) + r"\b", claim.text))]
    return frozenset([" ".join(written)]) if written else frozenset()


def check_date(a: Claim, b: Claim, pair: Pair) -> tuple[float, str, tuple[str, str]] | None:
    if a.negated != b.negated or a.refutes or b.refutes:
        return None
    same_event = a.predicate == b.predicate or (
        event_class(a.predicate) is not None and event_class(a.predicate) == event_class(b.predicate)
    )
    if not same_event:
        return None
    da = [d for d in a.dates if not d.implicit and _of_predicate(a, d)]
    db = [d for d in b.dates if not d.implicit and _of_predicate(b, d)]
    if not da or not db:
        return None
    first_a, first_b = da[0], db[0]
    if first_a.relation == "by" or first_b.relation == "by":
        return None  # "burned 2,000 hectares by Tuesday": a running total's date, not the event's
    if overlaps((first_a.start, first_a.end), (first_b.start, first_b.end)) or apart(a, b):
        return None
    base = 0.85 if first_a.is_day and first_b.is_day else 0.7
    conf = _confidence(base, pair, a, b)
    explanation = (f"{who(a)}: {a.action or a.predicate} {first_a.relation} {first_a.text} ({_iso(first_a)}); "
                   f"{who(b)}: {b.action or b.predicate} {first_b.relation} {first_b.text} ({_iso(first_b)})")
    return conf, explanation, (first_a.text, first_b.text)


def _of_predicate(claim: Claim, date) -> bool:
    """Is the date one of the claim's main event ("checked in on Thursday"), not of a noun or clause
    beside it ("a sentence for a 2012 car crash case")? Claims without frames keep every date."""
    if not claim.frames:
        return True
    return any(date.text in f.dates and not f.noun and (f.predicate == claim.predicate or f.predicate.split()[0]
                                                          == claim.predicate) for f in claim.frames)


def _iso(d) -> str:
    return describe(d.start, d.end)


def _polarity(claim: Claim) -> tuple[int, int] | None:
    """(antonym class, side) of a claim's predicate, a negation turning it to the other side."""
    places = PREDICATE_SIDES.get(claim.predicate)
    if not places:
        return None
    i, side = places[0]
    return i, side ^ int(claim.negated)


def check_dispute(a: Claim, b: Claim, pair: Pair) -> tuple[float, str, tuple[str, str]] | None:
    if a.refutes != b.refutes:
        refuter, target = (a, b) if a.refutes else (b, a)
        linked = refuter.refers_to == target.id
        shares_figure = any(x.unit == y.unit and same_thing_counted(x.measure, y.measure)
                            and not q.intervals_conflict((x.low, x.high), (y.low, y.high))
                            for x in refuter.quantities for y in target.quantities)
        if refuter.quantities and target.quantities and not (linked or shares_figure):
            return None  # a disputed figure is disputed only where that figure is given
        names_it = target.predicate in refuter.lemmas and pair.score >= 0.35
        # A loose link alone is weighed by the story-level check (stance.py), not here.
        if linked or shares_figure or ((names_it or pair.score >= 0.5) and not pair.loose):
            base = 0.8 if (linked or shares_figure) else 0.65
            conf = _confidence(base, pair, a, b)
            explanation = f"{who(target)}: {_gist(target)}; {who(refuter)} disputes it: \u201c{_gist(refuter)}\u201d"
            return conf, explanation, (_gist(a), _gist(b))
        return None
    if a.refutes or b.refutes:
        return None
    pa, pb = _polarity(a), _polarity(b)
    if pa is None or pb is None or pa[0] != pb[0] or pa[1] == pb[1]:
        return None
    if not a.subject or not b.subject or not _same_subject(a.subject, b.subject) or not same_time(a, b):
        return None
    conf = _confidence(0.75, pair, a, b)
    explanation = f"{who(a)}: {_said(a)}; {who(b)}: {_said(b)}"
    return conf, explanation, (a.predicate, b.predicate)


def _said(claim: Claim) -> str:
    """The gist of a claim's predicate as its source put it: "never inspected", "will stay"."""
    action = claim.action or claim.predicate
    if claim.negated and not any(w in action.lower().split() for w in ("not", "never", "n't", "no")):
        action = "not " + action
    return action


def _same_subject(x: str, y: str) -> bool:
    ax, rx, hx = split_counted(x)
    ay, ry, hy = split_counted(y)
    return hx == hy and rx == ry and (not ax or not ay or bool(ax & ay))


def _gist(claim: Claim, limit: int = 90) -> str:
    text = claim.text.rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def relayed_claims(claims: Sequence[Claim]) -> set[str]:
    """Claims their own article goes on to refute ("reports said X ... X is a hoax"): relayed, not made."""
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    out: set[str] = set()
    for members in by_article.values():
        refuters = [c for c in members if c.refutes]
        if not refuters:
            continue
        weights = term_weights(members)
        for claim in members:
            if not claim.refutes and any(similarity(claim, r, weights) >= RELAY_SIMILARITY for r in refuters):
                out.add(claim.id)
    return out


def story_links(claims: Sequence[Claim], pairs: Sequence[Pair], relayed: set[str] | None = None
                ) -> list[tuple[Claim, Claim]]:
    """(claim, refuting sentence of another article): the candidates the story-level check weighs.

    The model was learned and measured on headlines against whole articles, so the claim is a headline
    or a claim on its own: the only claim of its article, or one of two (a headline in two clauses)
    when a scored pair links it to the refuting sentence. A claim inside a longer article is left to the
    typed checks. The other article is a longer one with refutation cues; the sentence shown for it is
    the one best aligned with the claim, else its first cue sentence."""
    by_id = {c.id: c for c in claims}
    relayed = relayed_claims(claims) if relayed is None else relayed
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    cue = {c.id: may_refute(c) for c in claims}
    refuting = {aid: cues for aid, members in by_article.items() if len(members) > 1
                and (cues := [c for c in members if cue[c.id]])}

    def weighable(target: Claim, refuter: Claim, most_claims: int) -> bool:
        # Not filtered by voice: "X denied saying it" refutes a headline's "X says ...".
        return (len(by_article[target.article_id]) <= most_claims and refuter.article_id in refuting
                and not cue[target.id] and target.id not in relayed)

    links = []
    short = {aid for aid, members in by_article.items() if len(members) <= LINKED_HEADLINE_CLAIMS}
    for pair in sorted((p for p in pairs if by_id[p.a].article_id in short or by_id[p.b].article_id in short),
                       key=lambda p: (-p.score, p.a, p.b)):
        a, b = by_id[pair.a], by_id[pair.b]
        for target, refuter in ((a, b), (b, a)):
            if cue[refuter.id] and weighable(target, refuter, LINKED_HEADLINE_CLAIMS):
                links.append((target, refuter))
    targets = [members[0] for members in by_article.values() if len(members) == 1]
    if len(targets) * len(refuting) <= MAX_STORY_CHECKS:
        for target in targets:
            for cues in refuting.values():
                if weighable(target, cues[0], 1):
                    links.append((target, cues[0]))
    return links


# A headline in two clauses is weighed where a scored pair links it to the refutation; weighing both
# clauses against every refuting article gave more false alarms than finds on FNC-1.
LINKED_HEADLINE_CLAIMS = 2
# How many (claim, refuting article) combinations are weighed beyond the linked ones.
MAX_STORY_CHECKS = 5_000


def _story_contradictions(claims: Sequence[Claim], pairs: Sequence[Pair], group_of: dict[str, str],
                          already: set[tuple[str, str]], relayed: set[str], ranks: dict) -> list[Contradiction]:
    model = shipped_model()
    if model is None:
        return []
    links = [(t, r) for t, r in story_links(claims, pairs, relayed)
             if (t.id, r.id) not in already and (r.id, t.id) not in already]
    out = []
    for d in story_disputes(claims, links, model):
        cues = ", ".join(f"\u201c{c}\u201d" for c in d.cues)
        out.append(Contradiction(
            id="", kind="dispute", claim_ids=(d.target.id, d.refuter.id), confidence=round(0.9 * d.probability, 2),
            explanation=(f"{who(d.target)}: {_gist(d.target)}; {d.refuter.source} disputes it as a whole story: "
                         f"\u201c{_gist(d.refuter)}\u201d (refutation cues in the article: {cues}; "
                         f"stance model p={d.probability:.2f})"),
            values=(_gist(d.target), _gist(d.refuter)), group_id=group_of.get(d.target.id, ""),
            label=label([d.target, d.refuter], ranks),
        ))
    return out


def _nli_contradictions(candidates, options: Options, group_of: dict[str, str], ranks: dict) -> list[Contradiction]:
    """Ask the NLI model about aligned pairs only; flag those it is sure of, as disputes."""
    probabilities = options.nli.contradiction_probabilities([(a.text, b.text) for a, b, _ in candidates])
    out = []
    for (a, b, pair), p in zip(candidates, probabilities, strict=True):
        if p < options.nli_threshold:
            continue
        out.append(Contradiction(
            id="", kind="dispute", claim_ids=(a.id, b.id), confidence=_confidence(p, pair, a, b),
            explanation=f"{who(a)}: {_gist(a)}; {who(b)}: {_gist(b)} (NLI model {options.nli.name}: "
                        f"contradiction, p={p:.2f})",
            values=(_gist(a), _gist(b)), group_id=group_of.get(a.id, ""), label=label([a, b], ranks),
        ))
    return out


CHECKS: tuple[tuple[str, Callable], ...] = (
    ("numeric", check_numeric),
    ("date", check_date),
    ("dispute", check_dispute),
)


def find_contradictions(
    claims: Sequence[Claim], groups: Sequence[ClaimGroup], pairs: Sequence[Pair], options: Options | None = None
) -> tuple[Contradiction, ...]:
    by_id = {c.id: c for c in claims}
    group_of = {cid: g.id for g in groups for cid in g.claim_ids}
    relayed = relayed_claims(claims)
    per_article = Counter(c.article_id for c in claims)
    single = {aid for aid, n in per_article.items() if n == 1}
    ranks = name_ranks(claims)
    order = {c.id: i for i, c in enumerate(claims)}
    # (kind, claim ids, confidence, explanation, values, group, heading): made into Contradictions once
    # they are numbered; a dense set has tens of thousands.
    found: list[tuple] = []
    unflagged: list[tuple[Claim, Claim, Pair]] = []
    # Reprints make many pairs alike in all a heading reads.
    reads = {c.id: label_key(c) for c in claims}
    headings: dict[tuple, str] = {}

    def heading(a: Claim, b: Claim, figures: bool = True) -> str:
        # Only a conflict about a figure is headed by what the figure counts: who closed "Pier 4" is not
        # about how many gates.
        key = (reads[a.id], reads[b.id], figures)
        if key not in headings:
            headings[key] = label([a, b], ranks, figures=figures)
        return headings[key]

    for pair in sorted(pairs, key=lambda p: (order[p.a], order[p.b])):
        a, b = by_id[pair.a], by_id[pair.b]
        if order[a.id] > order[b.id]:
            a, b = b, a
        if a.article_id == b.article_id and a.speaker == b.speaker:
            continue
        before = len(found)
        for kind, check in () if pair.framed else CHECKS:
            if pair.loose and kind != "dispute":
                continue  # a loose link only says a refutation may be about this claim
            if kind == "dispute" and a.article_id != b.article_id and (a.id in relayed or b.id in relayed):
                continue  # an article that reports a story and refutes it agrees with whoever refutes it
            result = check(a, b, pair)
            if result is None:
                continue
            confidence, explanation, values = result
            found.append((kind, (a.id, b.id), confidence, explanation, values, group_of.get(a.id, ""),
                          heading(a, b, figures=kind in {"numeric", "dispute"})))
        # A claim its own article goes on to refute is relayed, not asserted. A headline or a one-line
        # claim is weighed against whole articles by the story-level check; of the event checks, only a
        # plain denial ("the levee was not breached") is read in it.
        if len(found) == before and not pair.loose and a.id not in relayed and b.id not in relayed:
            headline = a.article_id in single or b.article_id in single
            for event_check in (HEADLINE_EVENT_CHECKS if headline else EVENT_CHECKS):
                result = event_check(a, b, pair, apart)
                if result is not None:
                    kind, confidence, said, values = result
                    found.append((kind, (a.id, b.id), confidence, f"{who(a)}: {said.split(' / ')[0]}; "
                                  f"{who(b)}: {said.split(' / ')[1]}", values, group_of.get(a.id, ""),
                                  heading(a, b, figures=False)))
                    break
        if len(found) == before and not pair.loose and not pair.framed:
            unflagged.append((a, b, pair))
    more: list[Contradiction] = []
    if options is None or options.story_disputes:
        flagged = {ids for _, ids, *_ in found}
        more += _story_contradictions(claims, pairs, group_of, flagged, relayed, ranks)
    if options is not None and options.nli is not None and unflagged:
        more += _nli_contradictions(unflagged, options, group_of, ranks)
    found += [(c.kind, c.claim_ids, c.confidence, c.explanation, c.values, c.group_id, c.label) for c in more]
    found.sort(key=lambda c: (-c[2], order[c[1][0]], order[c[1][1]], c[0]))
    return tuple(Contradiction(id=f"c{i + 1}", kind=kind, claim_ids=ids, confidence=confidence,
                               explanation=explanation, values=values, group_id=group_id, label=heading_)
                 for i, (kind, ids, confidence, explanation, values, group_id, heading_) in enumerate(found))
