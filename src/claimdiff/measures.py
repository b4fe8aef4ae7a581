"""What a figure measures: a measure class ("deaths", "turnout") or the thing counted and the event it
is counted in ("detainee|release"), found where the sentence says it (the noun the number counts, the
verb whose subject or object that noun is, an adjective complement: "14 people were confirmed dead"),
and whether two measures are the same one. Word classes come from data/measures.json; whether two words
name the same thing or event comes from WordNet (wordnet.py)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .frames import subject_of
from .lexicon import lemma_of as _lemma
from .wordnet import same_sense, sense_keys, verb_of_participle


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = json.loads(resources.files("claimdiff").joinpath("data", "measures.json").read_text("utf-8"))
    data["class_of"] = {word: name for name, words in data["classes"].items() for word in words}
    for key in ("people", "copulas", "cumulative", "changes", "dimensions", "values", "aggregates", "participation"):
        data[key] = frozenset(data[key])
    return data


def measure_class(word: str) -> str:
    return _lexicon()["class_of"].get(word, "")


def is_aggregate(lemma: str) -> bool:
    """A statistic of figures ("range", "average"), not a thing a figure is the size of."""
    return lemma in _lexicon()["aggregates"]


def is_copula(lemma: str) -> bool:
    return lemma in _lexicon()["copulas"]


def is_change(word: str) -> bool:
    """A verb or adverb of change: the percentage it governs is a change, not a level."""
    return word in _lexicon()["changes"]


def cumulative(measure: str) -> bool:
    """A measure that only grows while an event unfolds (deaths, arrests): a later larger figure updates."""
    return measure in _lexicon()["cumulative"]


def measure_of(number, head, physical: bool = False) -> str:
    """The measure of a figure. `number` is the figure's last token, `head` the noun it counts or None.
    Empty when the sentence does not say what is measured."""
    lexicon = _lexicon()
    anchor = head if head is not None else number
    verb = _predicate_of(anchor)
    thing = _lemma(head) if head is not None else ""
    modifiers = [_lemma(c) for c in head.children if c.dep_ in {"compound", "amod"}] if head is not None else []
    event = _lemma(verb) if verb is not None else ""
    complements = [_lemma(c) for c in verb.children if c.dep_ in {"acomp", "oprd", "xcomp", "attr"}] \
        if verb is not None else []
    if verb is not None and is_copula(event):
        event = ""
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and (head is None or head.i == subject.i or head.lower_ in {"percent", "%"}):
            thing = _lemma(subject)
            modifiers = [_lemma(c) for c in subject.children if c.dep_ in {"compound", "amod"}]
        elif subject is not None and head is not None and subject.pos_ == "NOUN" and head.dep_ in {"attr", "acomp"}:
            # "The authorised capacity of the venue is 45,000 people": a capacity, counted in people.
            thing = _lemma(subject)
            modifiers = [_lemma(c) for c in subject.children if c.dep_ in {"compound", "amod"}]
    if thing in lexicon["dimensions"] or (physical and not thing):
        # "a gross mass of 61.8 tonnes", "burned 9,000 hectares": the truck's mass, the fire's area;
        # "the burned area amounts to 3,000 hectares": the area of the burning.
        owner = subject_of(verb) if verb is not None and not event else None
        done = next((c for c in owner.children if c.dep_ == "amod" and (c.tag_ == "VBN" or c.lower_.endswith("ed"))),
                    None) if owner is not None and _lemma(owner) in lexicon["dimensions"] else None
        if done is not None:
            event = verb_of_participle(_lemma(done))
        thing = ""
        if verb is not None:
            owner = subject_of(verb)
            if owner is not None and owner.pos_ in {"NOUN", "PROPN"} and _lemma(owner) not in lexicon["dimensions"]:
                thing = _lemma(owner)
    if measure_class(thing) in lexicon["values"]:
        return measure_class(thing)  # "posted net profit of ...", "turnout was ...": the value itself
    for word in [*complements, event]:
        if measure_class(word):
            return measure_class(word)
    if not event:
        for word in [*modifiers, thing]:
            if measure_class(word):
                return measure_class(word)
    if thing in lexicon["people"]:
        thing = "person"
    taken_part_in = _event_taken_part_in(verb) if verb is not None and event in lexicon["participation"] else ""
    if taken_part_in and (number.text.endswith("%") or "percent" in {number.lower_, number.head.lower_}
                          or "%" in {number.lower_, number.head.lower_}):
        return "turnout"  # "75 percent of workers joined the strike": the share taking part
    event = taken_part_in or event
    if not thing:
        return f"|{event}" if physical and event and not is_copula(event) else ""
    return f"{thing}|{event}"


# How a counted noun (or a bare figure) is tied to the predicate it is counted in: as its subject or
# object, as the agent of a passive ("rejected by 53.8 percent of voters"), or through a figure's own
# noun ("percent of voters", "the number of patients"). A noun inside another preposition ("left over a
# $2.4 million grant") is not counted in that event.
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "oprd", "acomp", "npadvmod", "ROOT"}
OF_DEPS = {"of", "by"}


def _event_taken_part_in(verb) -> str:
    """The event noun of "took part in the march", "participated in the strike", "joined the protest"."""
    nouns = [c for c in verb.children if c.dep_ == "dobj"]
    if verb.lemma_.lower() == "take":
        if not any(n.lemma_.lower() == "part" for n in nouns):
            return ""  # "took 30 people to hospital"
        nouns = []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
        nouns += [o for o in prep.children if o.dep_ == "pobj"]
    for prep in (c for n in nouns if n.lemma_.lower() == "part" for c in n.children if c.dep_ == "prep"):
        nouns += [o for o in prep.children if o.dep_ == "pobj"]
    event = next((n for n in nouns if n.pos_ == "NOUN" and n.lemma_.lower() != "part"), None)
    return _lemma(event) if event is not None else ""


def _predicate_of(token):
    node = token
    for _ in range(4):
        if node.dep_ in ARGUMENT_DEPS:
            head = node if node.dep_ == "ROOT" else node.head
            return head if head.pos_ in {"VERB", "AUX", "ADJ"} else None
        if node.dep_ == "pobj" and node.head.lower_ in OF_DEPS:
            node = node.head.head
            continue
        if node.dep_ == "pobj" and node.head.lower_ in {"to", "at"} and is_copula(_lemma(node.head.head)):
            return node.head.head  # "the burned area amounts to 3,000 hectares", "the toll stands at 9"
        if node.dep_ in {"nummod", "quantmod", "compound", "amod", "appos", "conj"}:
            node = node.head
            continue
        return None
    return None


def same_measure(a: str, b: str) -> bool:
    """Do two measures name the same one? The same class, or things that can be the same (WordNet) counted
    in events that can be the same: "114 detainees were released" and "120 prisoners were freed"."""
    if not a or not b:
        return False
    if "|" not in a or "|" not in b:
        return a == b
    thing_a, event_a = a.split("|", 1)
    thing_b, event_b = b.split("|", 1)
    if measure_class(thing_a) and measure_class(thing_a) == measure_class(thing_b) and event_a == event_b:
        return True
    if not same_sense(thing_a, thing_b, "n"):
        return False
    if event_a == event_b:
        return True
    return bool(event_a and event_b and same_sense(event_a, event_b, "v"))


def same_physical_measure(a: str, b: str) -> bool:
    """Two figures in one physical dimension (mass, length, area, duration) measure one thing when they
    are of the same thing ("the truck weighed 68 tonnes" / "the truck had a mass of 61.8 tonnes") or of
    the same event ("burned 9,000 hectares" / "the fire burned 10,000 acres")."""
    if same_measure(a, b):
        return True
    if "|" not in a or "|" not in b:
        return False
    thing_a, event_a = a.split("|", 1)
    thing_b, event_b = b.split("|", 1)
    if thing_a and thing_b and same_sense(thing_a, thing_b, "n"):
        return True
    return bool(event_a and event_b and event_a == event_b and not is_copula(event_a))


def measure_keys(measure: str) -> list[str]:
    """Blocking keys under which every measure that same_measure() may call the same one is filed: the
    class, or each WordNet sense of the thing counted and the senses directly above it."""
    if not measure:
        return []
    if "|" not in measure:
        return [measure]
    thing = measure.split("|", 1)[0]
    return sense_keys(thing, "n") or [thing]


def same_thing_counted(a: str, b: str) -> bool:
    """Do two measures count the same thing, in whatever event ("2,500 troops are in Iraq" and "the
    figure of 2,500 troops has been disputed")?"""
    if not a or not b:
        return False
    thing_a, thing_b = a.split("|", 1)[0], b.split("|", 1)[0]
    if same_sense(thing_a, thing_b, "n"):
        return True
    return bool(measure_class(thing_a)) and measure_class(thing_a) == measure_class(thing_b)
