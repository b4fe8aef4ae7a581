"""Checks over the events claims assert (frames.py): the same event denied by one source and asserted
by another, done by different doers, on different days, or with opposite outcomes. A pair is flagged
only when both frames share a participant and nothing says they are different events."""

from __future__ import annotations

import difflib
import re

from .align import Pair
from .dates import describe, overlaps
from .frames import (
    NOUN_EVENT_SIMILARITY,
    cause_verbs,
    dated_in_one_place,
    denies_count,
    differ,
    given_by_named,
    light_verbs,
    one_dated_event,
    opposite_events,
    other_instance,
    reciprocal_verbs,
    same_event,
    same_name,
    share,
    stem,
    under_way,
    written_as,
)
from .frames import frame_pairs as _frame_pairs
from .frames import participants_meet as _participants_meet
from .model import Claim, DateMention, Frame
from .wordnet import is_actor, is_event, is_noun, is_person, is_word


def _dates_of(claim: Claim, frame: Frame) -> list[DateMention]:
    return [d for d in claim.dates if d.text in frame.dates and not d.implicit]


def _times_apart(a: Claim, fa: Frame, b: Claim, fb: Frame) -> bool:
    da, db = _dates_of(a, fa), _dates_of(b, fb)
    return bool(da and db and not overlaps((da[0].start, da[0].end), (db[0].start, db[0].end)))


def _state(frame: Frame) -> str:
    """What the source said of the event, in its words where the frame has them: "was not breached"."""
    if frame.text and (not frame.negated or any(w in frame.text.lower().split() for w in ("not", "n't", "never"))):
        # A light verb says little without its object: "took part", "made landfall".
        return frame.text + (f" {frame.patient[0]}" if frame.predicate in light_verbs() and len(frame.patient) == 1
                             else "")
    if frame.predicate == "exist" and frame.patient:
        return ("no " if frame.negated else "some ") + " ".join(reversed(frame.patient))
    if frame.negated and not frame.noun:
        # Denied by "no" on its subject or object ("No U.S. troops took part"): "did not take part".
        tail = f" {frame.patient[0]}" if len(frame.patient) == 1 else ""
        return f"did not {frame.predicate}{tail}"
    return ("not " if frame.negated else "") + (frame.text or frame.predicate)


# "had no sincere interest" / "having interest": what someone has is too loose a proposition to deny.
POSSESSION = {"have", "get", "hold", "own"}


def _another(frame: Frame) -> bool:
    """"has not made another offer", "none of the other teams has offered": other things or doers."""
    return any(word in other_instance() or word == "other" for word in (*frame.patient[1:], *frame.agent[1:]))


def _places_differ(fa: Frame, fb: Frame) -> bool:
    """"Never checked into the Elm clinic" says nothing against "checked into the Oak clinic"."""
    return bool(fa.where and fb.where and not any(same_name(x, y) for x in fa.where for y in fb.where))


def check_polarity(a: Claim, b: Claim, pair: Pair, apart) -> tuple[str, float, str, tuple[str, str]] | None:
    """One source asserts an event, the other denies it ("No Ruritanian soldier crossed the border" /
    "a patrol crossed 300 metres into our territory"), or gives its opposite ("remained open" / "was closed")."""
    if a.refutes or b.refutes:
        return None  # a refutation ("X denied that ...") is weighed by the dispute check
    for fa, fb in _frame_pairs(a, b):
        if fa.noun or fb.noun or fa.modal or fb.modal or fa.predicate in POSSESSION:
            continue
        if _another(fa) or _another(fb) or bool(fa.where) != bool(fb.where):
            continue  # "has not made another offer"; a place on one side only leaves the event unsure
        flipped = opposite_events(fa, fb)
        # One predicate, not synonyms: "did not adopt" and "accepted" share a sense, not a meaning.
        same = fa.predicate == fb.predicate or stem(fa.predicate) == stem(fb.predicate)
        given = given_by_named(a, fa, b, fb)
        if not (flipped or same or given) or (fa.negated != fb.negated) == flipped:
            continue
        # Both doers named: one doer, or the denial is for anyone ("No serviceman crossed").
        doers_unsure = bool(fa.agent and fb.agent) and not (fa.anyone or fb.anyone) and not share(
            fa.agent, fb.agent) and not given
        if not _participants_meet(fa, fb) or doers_unsure or _times_apart(a, fa, b, fb) or _places_differ(fa, fb):
            continue
        kind = "dispute" if flipped else "negation"
        confidence = round(0.55 + 0.3 * min(1.0, pair.score), 2)
        return kind, confidence, f"{_state(fa)} / {_state(fb)}", (_state(fa), _state(fb))
    return None


def check_rating(a: Claim, b: Claim, pair: Pair, apart) -> tuple[str, float, str, tuple[str, str]] | None:
    """One grader giving one thing two grades: "that survey found the pier to be in poor condition" /
    "the contractor's own survey rated the pier in fair condition"."""
    for fa, fb in _frame_pairs(a, b):
        if not (fa.rating and fb.rating) or fa.rating == fb.rating or fa.negated or fb.negated or fa.modal \
                or fb.modal:
            continue
        if not (share(fa.patient, fb.patient) and share(fa.agent, fb.agent)) or _times_apart(a, fa, b, fb):
            continue
        said = (f"{fa.rating} condition", f"{fb.rating} condition")
        return "dispute", round(0.5 + 0.3 * min(1.0, pair.score), 2), f"{said[0]} / {said[1]}", said
    return None


def check_none_against_some(a: Claim, b: Claim, pair: Pair, apart) -> tuple[str, float, str, tuple[str, str]] | None:
    """"There were no treatment-related deaths" against a figure of such deaths above zero."""
    for denier, counter in ((a, b), (b, a)):
        for frame in denier.frames:
            for qty in counter.quantities:
                if denies_count(frame, qty):
                    said = (f"no {' '.join(reversed(frame.patient))}", qty.text)
                    if denier is b:
                        said = (said[1], said[0])
                    return "negation", round(0.55 + 0.3 * min(1.0, pair.score), 2), f"{said[0]} / {said[1]}", said
    return None


def check_doer(a: Claim, b: Claim, pair: Pair, apart) -> tuple[str, float, str, tuple[str, str]] | None:
    """The same deed, done to the same thing, by different doers: "soldiers of Ruritania opened fire"
    / "Borduvian border guards opened fire"; "removed by the contractor" / "by the department's crew"."""
    for fa, fb in _frame_pairs(a, b):
        if fa.noun or fb.noun or fa.modal or fb.modal or fa.negated or fb.negated:
            continue
        if not (fa.patient and fb.patient and fa.agent and fb.agent) or fa.predicate in light_verbs():
            continue
        if fa.voiced and fb.voiced:
            continue  # two speakers each saying "we appreciate ...": each speaks of their own side
        if not (fa.known and fb.known):
            continue  # "expressed interest", "rescued a ship": many may do it; "raised the alarm": one did
        if under_way(fa) or under_way(fb):
            continue  # "are considering arson": an activity several may share
        if not same_event(fa, fb) or not share(fa.patient, fb.patient):
            continue
        if not differ(fa.agent, fb.agent, fa.names, fb.names):
            continue
        causes = fa.predicate in cause_verbs() and fb.predicate in cause_verbs()
        if not causes and not all(is_actor(f.agent[0]) or (f.names and is_noun(f.agent[0])) for f in (fa, fb)):
            # "a song saved the fisherman" and "the singer saved him" name a means and a doer; "the Vardaki
            # border detail" is a named side's unit, whatever a detail first means.
            continue
        if causes and (is_person(fa.agent[0]) != is_person(fb.agent[0]) or (
                is_event(fa.agent[0]) and is_event(fb.agent[0]))):
            # "started by a cigarette" and "by a camper" may be one account, and so may "the shooting"
            # and "the boy's death" that "sparked the riots": one happening in two descriptions.
            continue
        if _times_apart(a, fa, b, fb):
            continue
        confidence = round(0.5 + 0.3 * min(1.0, pair.score), 2)
        said = (written_as(a.text, fa.agent), written_as(b.text, fb.agent))
        explanation = f"{said[0]} ({fa.text or fa.predicate}) / {said[1]} ({fb.text or fb.predicate})"
        return "attribution", confidence, explanation, said
    return None


def _same_party(x: tuple[str, ...], y: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Do two participants name one party: alike by share(), or a name of one among the other's words
    ("the chief executive of Acme" and "Acme")?"""
    return share(x, y) or any(n in y for n in names)


def check_roles_reversed(a: Claim, b: Claim, pair: Pair, apart) -> tuple[str, float, str, tuple[str, str]] | None:
    """One deed with doer and target swapped: "the Tajik troops opened fire on the Kyrgyz post" / "the
    Kyrgyz guards opened fire on the Tajik patrol"; "A's chief approached B" / "B's board approached A".
    Verbs whose two sides may swap freely ("met", "talked", "merged") say nothing."""
    for fa, fb in _frame_pairs(a, b):
        if fa.noun or fb.noun or fa.modal or fb.modal or fa.negated or fb.negated:
            continue
        if not (fa.agent and fa.patient and fb.agent and fb.patient) or not same_event(fa, fb):
            continue
        if fa.predicate in reciprocal_verbs() or fa.predicate in light_verbs():
            continue
        if not (is_actor(fa.agent[0]) and is_actor(fb.agent[0])):
            continue
        crossed = ((_same_party(fa.agent, fb.patient, fa.names) or _same_party(fb.patient, fa.agent, fb.patient_names))
                   and (_same_party(fa.patient, fb.agent, fa.patient_names)
                        or _same_party(fb.agent, fa.patient, fb.names)))
        if not crossed or share(fa.agent, fb.agent) or set(fa.names) & set(fb.names) or share(
                fa.patient, fb.patient) or _times_apart(a, fa, b, fb):
            continue
        said = (f"{written_as(a.text, fa.agent)} {fa.text or fa.predicate} {written_as(a.text, fa.patient)}",
                f"{written_as(b.text, fb.agent)} {fb.text or fb.predicate} {written_as(b.text, fb.patient)}")
        said = (said[0].strip(), said[1].strip())
        return "attribution", round(0.5 + 0.3 * min(1.0, pair.score), 2), f"{said[0]} / {said[1]}", said
    return None


def check_event_date(a: Claim, b: Claim, pair: Pair, apart) -> tuple[str, float, str, tuple[str, str]] | None:
    """The same event given different days: "met on Thursday" / "at a meeting on 6 May"."""
    if a.negated != b.negated:
        return None
    for fa, fb in _frame_pairs(a, b):
        if not (fa.dates and fb.dates) or fa.negated != fb.negated or fa.modal != fb.modal:
            continue
        if not (one_dated_event(fa, fb, pair.score >= NOUN_EVENT_SIMILARITY) or (
                set(a.entities) & set(b.entities) and dated_in_one_place(fa, fb))):
            continue
        da, db = _dates_of(a, fa), _dates_of(b, fb)
        if not da or not db:
            continue
        x, y = da[0], db[0]
        if (x.relation in {"by", "since", "until", "before", "after", "from"}
                or y.relation in {"by", "since", "until", "before", "after", "from"}):
            continue
        if overlaps((x.start, x.end), (y.start, y.end)) or apart(a, b):
            continue
        confidence = round((0.8 if x.is_day and y.is_day else 0.65) * (0.6 + 0.4 * min(1.0, pair.score)), 2)
        return ("date", confidence, f"{fa.predicate} {x.text} ({describe(x.start, x.end)}) / "
                f"{fb.predicate} {y.text} ({describe(y.start, y.end)})", (x.text, y.text))
    return None


# A quote shared word for word over this many words is one quote, whoever reports it.
SAME_QUOTE_WORDS = 6
SAME_QUOTE_SHARE = 0.6  # of the shorter quote, in one run
_QUOTED = re.compile(r"[\"“]([^\"“”]{20,})(?:[\"”]|$)")


def _quoted_words(claim: Claim) -> list[str]:
    return [w for part in _QUOTED.findall(claim.text) for w in re.findall(r"[\w'’-]+", part)]


def _personal_names(speaker: str) -> set[str]:
    """The words of a speaker that only name someone: capitalised, not an English word and not an
    abbreviation ("Mr.", "Rev."), so that a title ("Chief Executive", "Minister") never makes two people
    one and never tells two apart."""
    words = re.findall(r"[A-Z][\w-]+(?:['’]s)?\.?", speaker.split(",")[0])
    words = [re.sub(r"['’]s$", "", w) for w in words if not w.endswith(".")]
    return {w.lower() for w in words if not is_word(w.lower())}


def _named_in(claim: Claim, names: set[str]) -> bool:
    """Is the speaker named in the sentence itself, not carried over from an earlier one?"""
    text = claim.text.lower()
    return all(re.search(rf"\b{re.escape(name)}\b", text) for name in names)


def check_quoted_speaker(a: Claim, b: Claim, pair: Pair, apart) -> tuple[str, float, str, tuple[str, str]] | None:
    """One quote put in the mouths of two different people: '"Demand is outrunning our capacity," the
    chief executive told analysts' / the same words from the finance chief. Both speakers must be named
    people with no name in common; a quote shared by a person and a body or a description is unsure."""
    if a.article_id == b.article_id or a.voice != "reported" or b.voice != "reported":
        return None
    wa, wb = _quoted_words(a), _quoted_words(b)
    if len(wa) < SAME_QUOTE_WORDS or len(wb) < SAME_QUOTE_WORDS:
        return None
    matcher = difflib.SequenceMatcher(None, [w.lower() for w in wa], [w.lower() for w in wb], autojunk=False)
    match = matcher.find_longest_match(0, len(wa), 0, len(wb))
    if match.size < max(SAME_QUOTE_WORDS, SAME_QUOTE_SHARE * min(len(wa), len(wb))):
        return None  # a shared phrase ("the closure of the harbour road") is not one quote
    names_a, names_b = _personal_names(a.speaker), _personal_names(b.speaker)
    if not names_a or not names_b or names_a & names_b:
        return None
    if not (_named_in(a, names_a) and _named_in(b, names_b)):
        return None  # a speaker carried from another sentence may be the wrong one
    if any(same_name(x, y) for x in names_a for y in names_b):
        return None
    quote = " ".join(wa[match.a:match.a + match.size])
    # The explanation names each speaker already: say what each said.
    said = (f"said \u201c{quote}\u201d", "said the same words")
    return "attribution", round(0.5 + 0.3 * min(1.0, pair.score), 2), f"{said[0]} / {said[1]}", (a.speaker, b.speaker)

EVENT_CHECKS = (check_event_date, check_polarity, check_none_against_some, check_doer, check_roles_reversed,
                check_quoted_speaker, check_rating)
HEADLINE_EVENT_CHECKS = (check_polarity,)
