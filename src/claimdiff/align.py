"""Claims -> ClaimGroups. Only claims that share a blocking key are ever compared; pairs above a
threshold are joined with union-find. Never all pairs: cost grows with the claims, not their square."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, islice, product, repeat

from .dates import time_range
from .frames import frames_meet, other_instance, same_name, written_as
from .lexicon import EVENT_CLASSES, PREDICATE_SIDES
from .measures import measure_class, same_measure, same_physical_measure
from .model import Claim, ClaimGroup, Options, Quantity
from .quantities import PHYSICAL_UNITS
from .stance import may_refute
from .wordnet import is_person, same_sense

# A bucket of more claims than this is not compared in full (see candidate_pairs): a word or name
# shared that widely ("e:united states" in a corpus about the US) says little about any two claims.
MAX_BUCKET = 60
EVENT_WORDS = set(EVENT_CLASSES.values())


# A story-level refutation ("the report is a hoax") is linked to the other source's claim it shares most
# with, down to this overlap; such links are too loose to group claims by.
REFUTATION_LINK = 0.06


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    score: float
    loose: bool = False  # a refutation link below the alignment threshold
    framed: bool = False  # below the threshold, but both claims assert one event of a shared participant


@lru_cache(maxsize=65_536)  # called for every compared pair of figures; a bounded memo of a pure function
def split_counted(counted: str) -> tuple[frozenset[str], frozenset[str], str]:
    """'united states | combat troop' -> ({'united states'}, {'combat'}, 'troop')."""
    actors, _, rest = counted.rpartition("|")
    words = rest.split()
    names = frozenset(a.strip() for a in actors.split(",") if a.strip())
    return names, frozenset(words[:-1]), (words[-1] if words else "")


def same_thing(a: Quantity, b: Quantity) -> bool:
    """Do two numbers measure the same thing? The same unit dimension and the same measure (a class such
    as deaths, or a thing counted in an event, by WordNet: "detainees released" and "prisoners freed"),
    modifiers of one within the other's ("private houses" and "houses", not "combat troops" and "support
    troops"), and no clash of actors (US troops vs Iraqi troops) or of places."""
    if not a.counted or not b.counted or a.unit != b.unit:
        return False
    physical = a.unit in PHYSICAL_UNITS
    if not (same_physical_measure(a.measure, b.measure) if physical else same_measure(a.measure, b.measure)):
        return False
    actors_a, roles_a, head_a = split_counted(a.counted)
    actors_b, roles_b, head_b = split_counted(b.counted)
    if not (roles_a <= roles_b or roles_b <= roles_a) or (roles_a ^ roles_b) & other_instance():
        return False  # "combat" and "support" troops; "three prior arrests" are not this event's arrests
    if not physical and head_a and head_b and head_a != head_b and not same_sense(head_a, head_b, "n") and not (
            _people(head_a) and _people(head_b)) and not _names_measure(head_a, head_b):
        # "19 households" and "160,000 people" displaced are counted in different units; "fatalities: 6"
        # and "8 people dead", or "participation of 40 percent", name the measure itself.
        return False
    if actors_a and actors_b and not any(same_name(x, y) for x in actors_a for y in actors_b):
        return False
    if a.setting and b.setting and not set(a.setting) & set(b.setting) and not same_sense(
            a.setting[0], b.setting[0], "n"):
        return False  # "in the private sector" and "teachers in state schools": two parts of a whole
    return not (a.scope and b.scope and not set(a.scope) & set(b.scope))


def _names_measure(x: str, y: str) -> bool:
    """Is one head the measure's own noun ("fatalities", "participation") and the other a noun of people
    or of the same measure: "fatalities: 11" against "14 people dead", not "46 arrests" against
    "arrested three times"?"""
    for own, other in ((x, y), (y, x)):
        if measure_class(own) and (_people(other) or measure_class(other) == measure_class(own)):
            return True
    return False


def _people(word: str) -> bool:
    """Counts of citizens, nationals, residents or people all count persons."""
    return word == "person" or is_person(word)


def candidate_pairs(claims: Sequence[Claim], blocking: bool = True) -> Iterator[tuple[str, str]]:
    """Pairs of claims that share at least one blocking key, in a stable order. Without blocking, every
    pair (the naive baseline the speed benchmark compares against).

    A bucket of at most MAX_BUCKET claims is compared in full. A larger bucket of a quantity or
    predicate key ("q:troop", "p:sign|agreement": with many sources, the most-discussed figures and
    events) is compared by sorted neighbourhood: each claim meets the NEIGHBOURS claims after it in two
    orders, by its wording with figures blanked (reprints and rewrites of one sentence) and by the
    figure or date it gives (the values that disagree). And one claim of each wording and time meets
    one of every other (up to MAX_CROSS_PAIRS): a conflict's heading depends on both sides' wording
    ("people in Westfield" against "people"), so each pairing of wordings may be a contested point of
    its own, and neighbourhoods meet only wordings that sort side by side. Larger buckets of bare words
    and names are left out: their pairs still meet through rarer keys."""
    if not blocking:
        for i in range(len(claims)):
            for j in range(i + 1, len(claims)):
                yield claims[i].id, claims[j].id
        return
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, claim in enumerate(claims):
        for key in claim.keys:
            buckets[key].append(i)
    shared: set[tuple[int, int]] = set()
    wording: dict[int, tuple] = {}
    for key, members in buckets.items():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BUCKET:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    shared.add((members[x], members[y]))
            continue
        if not key.startswith(("q:", "p:")):
            continue
        for pair in islice(combinations(_one_per_template(claims, wording, members), 2), MAX_CROSS_PAIRS):
            shared.add(pair)
        orders = (sorted(members, key=lambda i: (_template(claims, wording, i), i)),
                  sorted(members, key=lambda i: (_value_order(claims[i], key), i)))
        for order in orders:
            for x in range(len(order)):
                for y in range(x + 1, min(len(order), x + 1 + NEIGHBOURS)):
                    a, b = order[x], order[y]
                    shared.add((a, b) if a < b else (b, a))
    shared |= _across_polarity(claims, wording)
    for i, j in sorted(shared):
        yield claims[i].id, claims[j].id


# How many claims after it each claim meets in each order of a large bucket.
NEIGHBOURS = 2
_FIGURES = re.compile(r"\d[\d,.]*")


def _speaks_for(claims: Sequence[Claim], wording: dict[int, tuple], i: int) -> tuple:
    """What claim i says as its reprints say it: its wording with figures blanked, and its time range.
    Reprints of one sentence about one day say one thing. Remembered in `wording`, as every pass over
    large buckets asks for it, once per bucket the claim is in."""
    if i not in wording:
        wording[i] = (_FIGURES.sub("#", claims[i].text.lower()), time_range(claims[i]))
    return wording[i]


def _template(claims: Sequence[Claim], wording: dict[int, tuple], i: int) -> str:
    return _speaks_for(claims, wording, i)[0]


def _one_per_template(claims: Sequence[Claim], wording: dict[int, tuple], members: list[int]) -> list[int]:
    """The first of `members` (in order) of each wording and time."""
    first: dict[tuple, int] = {}
    for i in members:
        first.setdefault(_speaks_for(claims, wording, i), i)
    return list(first.values())


def _value_order(claim: Claim, key: str) -> tuple:
    """What sorts a large bucket by value: the figure counted under a quantity key, else the date."""
    figures = [(q.counted, q.unit, q.low, q.high) for q in claim.quantities if f"q:{q.head}" == key]
    day = min((d.start.isoformat() for d in claim.dates if not d.implicit), default="")
    return (min(figures) if figures else ("", "", 0.0, 0.0), claim.predicate, day)


# How many pairs of wordings one large bucket may add: templates of one side times templates of the
# other in a polarity bucket, pairs of templates in a large quantity or predicate bucket.
MAX_CROSS_PAIRS = 2_000


def _across_polarity(claims: Sequence[Claim], wording: dict[int, tuple]) -> set[tuple[int, int]]:
    """Pairs that may contradict by polarity, however large the buckets their claims share: "the levee
    was not breached" meets "the levee was breached" (same predicate and object, other polarity), and
    "troops will stay" meets "troops will withdraw" (antonyms, same subject). Fifty reprints of one
    sentence say one thing, so each side is taken by template (wording with figures blanked) and time:
    one claim of every template and time of one side meets one of every template and time of the other.
    Time is part of what a claim speaks for, as the checks compare it: "reopened on Monday" in articles
    of different weeks names different Mondays, and only the same Monday contradicts "was closed on
    Monday". So is what the heading reads (label_key): the recognizer may find "Port Esk" in one
    reprint and miss it in the next, and the two then head different contested points."""
    sides: dict[str, tuple[dict[tuple, int], dict[tuple, int]]] = defaultdict(lambda: ({}, {}))
    for i, claim in enumerate(claims):
        if claim.refutes or not claim.predicate:
            continue
        keys = [(key, int(claim.negated)) for key in claim.keys if key.startswith("p:")]
        if claim.subject:
            _, roles, head = split_counted(claim.subject)
            for antonyms, side in PREDICATE_SIDES.get(claim.predicate, ())[:1]:
                keys.append((f"s:{antonyms}|{' '.join(sorted(roles))}|{head}", side ^ int(claim.negated)))
        if not keys:
            continue
        said = (_speaks_for(claims, wording, i), label_key(claim))
        for key, side in keys:
            sides[key][side].setdefault(said, i)  # the first claim of each reading speaks for it
    pairs: set[tuple[int, int]] = set()
    for one, other in sides.values():
        for a, b in islice(product(one.values(), other.values()), MAX_CROSS_PAIRS):
            pairs.add((a, b) if a < b else (b, a))
    return pairs


STEM = 6


def terms(claim: Claim) -> set[str]:
    """Content words cut to a stem: the small model lemmatises headlines poorly ("Performed", "Helps"),
    and "adoption"/"adopted" or "segregation"/"segregate" should meet."""
    return {lemma[:STEM] for lemma in claim.lemmas}


def term_weights(claims: Sequence[Claim]) -> dict[str, float]:
    """Inverse document frequency over the claims: a name every claim mentions says little."""
    df: Counter = Counter()
    for claim in claims:
        df.update(terms(claim) | {"e:" + e for e in claim.entities})
    n = len(claims)
    return {term: math.log(1 + n / count) for term, count in df.items()}


def overlap(a: set[str], b: set[str], weights: dict[str, float]) -> float:
    """Half Jaccard, half containment: a short claim (a headline) inside a long sentence still counts."""
    return _overlap(a, _mass(a, weights), b, _mass(b, weights), weights)


def _mass(items: set[str] | frozenset[str], weights: dict[str, float]) -> float:
    # fsum is exact, so the total does not depend on a set's iteration order (which varies by process).
    # map() keeps the per-term lookup in C: this runs for every term of every compared pair.
    return math.fsum(map(weights.get, items, repeat(1.0)))


def _overlap(a, mass_a: float, b, mass_b: float, weights: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    shared = _mass(a & b, weights)
    union = math.fsum((mass_a, mass_b, -shared))
    return 0.5 * shared / union + 0.5 * shared / min(mass_a, mass_b)


@dataclass(frozen=True)
class _Profile:
    """What similarity needs of one claim, computed once per claim rather than once per pair."""

    terms: frozenset[str]
    terms_mass: float
    names: frozenset[str]
    names_mass: float


def _profile(claim: Claim, weights: dict[str, float]) -> _Profile:
    own_terms = frozenset(terms(claim))
    names = frozenset("e:" + e for e in claim.entities)
    return _Profile(own_terms, _mass(own_terms, weights), names, _mass(names, weights))


def similarity(a: Claim, b: Claim, weights: dict[str, float] | None = None) -> float:
    """How sure we are that two claims speak about the same thing, in [0, 1]."""
    weights = weights or {}
    return _similarity(a, b, _profile(a, weights), _profile(b, weights), weights)


def _similarity(a: Claim, b: Claim, pa: _Profile, pb: _Profile, weights: dict[str, float]) -> float:
    lemma_overlap = _overlap(pa.terms, pa.terms_mass, pb.terms, pb.terms_mass, weights)
    entity_overlap = _overlap(pa.names, pa.names_mass, pb.names, pb.names_mass, weights)
    quantity = 0.4 if any(same_thing(x, y) for x in a.quantities for y in b.quantities) else 0.0
    predicate = 0.15 if a.predicate and (a.predicate == b.predicate or _opposed(a.predicate, b.predicate)) else 0.0
    subject = 0.15 if a.subject and a.subject == b.subject else 0.0
    return min(1.0, 0.55 * lemma_overlap + 0.3 * entity_overlap + quantity + predicate + subject)


def _same_measure_at_all(a: Claim, b: Claim) -> bool:
    """Figures of one measure named outright: a class (deaths), or a thing counted in a named event. A
    bare "nine turbines" against "40 turbines" says too little on its own to align two sentences."""
    return any(x.measure and same_thing(x, y) and not (x.measure.endswith("|") or y.measure.endswith("|"))
               for x in a.quantities for y in b.quantities)


def _opposed(x: str, y: str) -> bool:
    opposite = {(i, 1 - side) for i, side in PREDICATE_SIDES.get(y, ())}
    return any(place in opposite for place in PREDICATE_SIDES.get(x, ()))


def score_pairs(claims: Sequence[Claim], options: Options, blocking: bool = True) -> list[Pair]:
    by_id = {c.id: c for c in claims}
    weights = term_weights(claims)
    pairs = []
    # Each refuting sentence's best loose link into each other article.
    best_link: dict[tuple[str, str], tuple[float, Pair]] = {}
    profiles = {c.id: _profile(c, weights) for c in claims}
    refuting = {c.id: may_refute(c) for c in claims}  # a regex over the text: once a claim, not once a pair
    for (x, y) in candidate_pairs(claims, blocking):
        a, b = by_id[x], by_id[y]
        if a.article_id == b.article_id and a.speaker == b.speaker:
            continue  # one voice repeating itself is neither corroboration nor contradiction
        score = _similarity(a, b, profiles[x], profiles[y], weights)
        if b.refers_to == a.id or a.refers_to == b.id:
            score = max(score, 0.9)
        elif score < options.align_threshold and _same_measure_at_all(a, b):
            # Two figures of one measure are the same fact whatever else the sentences say.
            score = options.align_threshold
        if score >= options.align_threshold:
            pairs.append(Pair(x, y, round(score, 3)))
        elif a.article_id != b.article_id and frames_meet(a, b):
            pairs.append(Pair(x, y, round(score, 3), framed=True))
        elif score >= REFUTATION_LINK and a.article_id != b.article_id and refuting[x] != refuting[y]:
            refuter, other = (a, b) if refuting[x] else (b, a)
            key = (refuter.id, other.article_id)
            if key not in best_link or score > best_link[key][0]:
                best_link[key] = (score, Pair(x, y, round(score, 3), loose=True))
    pairs.extend(link for _, (_, link) in sorted(best_link.items()))
    # Only pairs touching a refutation's back-reference can be looked up below.
    involved = {c.id for c in claims if c.refers_to} | {c.refers_to for c in claims if c.refers_to}
    present = {frozenset((p.a, p.b)) for p in pairs if p.a in involved or p.b in involved}
    for claim in claims:
        # A refutation that points back to a claim of another voice is aligned with it whatever the words.
        if claim.refers_to and claim.refers_to in by_id:
            other = by_id[claim.refers_to]
            if other.speaker != claim.speaker and frozenset((claim.id, other.id)) not in present:
                present.add(frozenset((claim.id, other.id)))
                pairs.append(Pair(other.id, claim.id, 0.9))
    return pairs


class UnionFind:
    """Disjoint sets of ids, each with its member list (the smallest id names a set)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}

    def find(self, x: str) -> str:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = [x]
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, drop = min(ra, rb), max(ra, rb)
            self.parent[drop] = keep
            self.members[keep].extend(self.members.pop(drop))


def group_claims(
    claims: Sequence[Claim],
    pairs: Sequence[Pair],
    threshold: float = 0.0,
    cannot_link: set[frozenset[str]] | None = None,
) -> tuple[ClaimGroup, ...]:
    """Union-find over the pairs at least `threshold` similar, strongest first. Two components are never
    joined when a pair in `cannot_link` would end up inside one (claims that contradict each other)."""
    components = UnionFind()
    partners: dict[str, list[str]] = defaultdict(list)
    for link in cannot_link or ():
        if len(link) == 2:
            x, y = tuple(link)
            partners[x].append(y)
            partners[y].append(x)
    refused: set[tuple[str, str]] = set()
    for pair in sorted(pairs, key=lambda p: (-p.score, p.a, p.b)):
        if pair.loose or pair.score < threshold:
            continue
        ra, rb = components.find(pair.a), components.find(pair.b)
        if ra == rb or (ra, rb) in refused or (rb, ra) in refused:
            continue
        # Look from the smaller component through its members' cannot-link partners: linear in the
        # links, where testing every cross pair of members was quadratic in the components' sizes.
        small, other = (ra, rb) if len(components.members[ra]) <= len(components.members[rb]) else (rb, ra)
        if any(components.find(y) == other for x in components.members[small] for y in partners.get(x, ())):
            # Components only grow, so two that may not join never may while both keep their roots.
            refused.add((ra, rb))
        else:
            components.union(ra, rb)
    members = components.members
    ranks = name_ranks(claims)
    order = {c.id: i for i, c in enumerate(claims)}
    by_id = {c.id: c for c in claims}
    groups = []
    for ids in sorted(members.values(), key=lambda m: min(order[i] for i in m)):
        ids.sort(key=order.__getitem__)
        groups.append(ClaimGroup(id=f"g{len(groups) + 1}", label=label([by_id[i] for i in ids], ranks),
                                 claim_ids=tuple(ids)))
    return tuple(groups)


def label(claims: Sequence[Claim], ranks: dict[tuple[str, object], int] | None = None, figures: bool = True) -> str:
    """A short name for what a group is about: "U.S. troops in Iraq — number". Of equally common
    wordings and predicates the one most common in all the claims wins (`ranks`, see name_ranks), of
    names the rarest; never the one that happens to come first, so that the same conflict gets one
    heading whichever source is listed first ("stay" against "withdraw" is one point, not two)."""
    ranks = ranks or {}

    def most_common(kind: str, counts: Counter, n: int = 1, rarest: bool = False) -> list:
        sign = -1 if rarest else 1
        return sorted(counts, key=lambda k: (-counts[k], sign * ranks.get((kind, k), len(ranks)), str(k)))[:n]

    quantities = [q for c in claims for q in c.quantities if q.counted and q.display] if figures else []
    if quantities:
        top = most_common("counted", Counter(q.counted for q in quantities))[0]
        display = most_common("display", Counter(q.display for q in quantities if q.counted == top))[0]
        scopes = Counter(q.scope for q in quantities if q.counted == top and q.scope)
        scope = most_common("scope", scopes)[0] if scopes else ()
        plain = not re.search(r"\b(in|of|at)\b", display)
        where = f" in {as_written(scope[0], claims)}" if plain and len(scope) == 1 else ""
        events = [r for r in split_counted(top)[1] if r in EVENT_WORDS and r not in display.lower()]
        event = f" ({', '.join(events)})" if events else ""
        return f"{display}{where}{event} — figures"
    entities = Counter(e for c in claims for e in c.entities)
    predicates = Counter(c.predicate for c in claims if c.predicate)
    # Of equally common names the rarest in all the claims: it says most about this group.
    names = most_common("entity", entities, 2, rarest=True)
    # A name only one claim gives does not say what the claims are about, unless no name is shared:
    # "Elmford levee, Stonebay district" against "Elmford levee, Carrow district" is about Elmford.
    names = [e for e in names if entities[e] > 1] or names
    # "Hon Jane Doe" and "Jane Doe" are one name.
    names = [e for e in names if not any(e != o and set(o.split()) <= set(e.split()) for o in names)]
    subject = " and ".join(as_written(e, claims) for e in names) or _shared_participant(claims) or "claims"
    verb = most_common("predicate", predicates)[0] if predicates else ""
    actions = Counter(c.action for c in claims if c.predicate == verb and 0 < len(c.action.split()) <= 3)
    action = most_common("action", actions)[0] if actions else verb
    action = re.sub(r"^((been|be|was|were|is|are|has|have|had|being)\s+)+", "", action)  # "been closed" -> "closed"
    return f"{subject} — {action}" if action else subject


def _shared_participant(claims: Sequence[Claim]) -> str:
    """What every claim's events have in common, as the first claim writes it ("Pier 4"), when no name
    is shared: the thing done to, else the doer."""
    for role in ("patient", "agent"):
        heads = [{getattr(f, role)[0] for f in c.frames if getattr(f, role)} for c in claims]
        common = set.intersection(*heads) if heads and all(heads) else set()
        if common:
            return written_as(claims[0].text, (sorted(common)[0],), numbered=True)
    return ""


def as_written(name: str, claims: Sequence[Claim]) -> str:
    """A name in a source's own casing ("NATO", "al-Rashid"), else in title case. A dateline's capitals
    ("OSTREL, Ruritania —") give way to the name as a sentence writes it."""
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"s?(?!\w)", re.IGNORECASE)
    every = [m.group() for claim in claims for m in pattern.finditer(claim.text)]
    found = [f for f in every if not f.islower()]
    if not found:
        return every[0] if every else title_case(name)  # "in 24 hours": no name, written as it is
    return next((f for f in found if not f.isupper()), found[0])


def label_key(claim: Claim) -> tuple:
    """All of a claim that label() reads: claims alike in it get the same headings."""
    return (tuple((q.counted, q.display, q.scope) for q in claim.quantities), claim.entities, claim.predicate,
            claim.action)


def name_ranks(claims: Sequence[Claim]) -> dict[tuple[str, object], int]:
    """How common each counted thing, its wording, place, name, predicate and action is across the
    claims: 0 is the most common, ties by first appearance. label() prefers by it among equally common
    ones."""
    counts: Counter = Counter()
    for claim in claims:
        for q in claim.quantities:
            if q.counted and q.display:
                counts.update([("counted", q.counted), ("display", q.display), ("scope", q.scope)])
        counts.update(("entity", e) for e in claim.entities)
        if claim.predicate:
            counts.update([("predicate", claim.predicate), ("action", claim.action)])
    return {name: rank for rank, (name, _) in enumerate(counts.most_common())}


def title_case(name: str) -> str:
    return " ".join("-".join(p[:1].upper() + p[1:] for p in word.split("-")) for word in name.split())
