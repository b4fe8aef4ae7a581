"""General word relations from the WordNet extract in data/wordnet.json.gz (see bench/build_wordnet.py):
whether two words can name the same thing or event. Loaded once."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _data() -> dict:
    raw = resources.files("claimdiff").joinpath("data", "wordnet.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    return data


@lru_cache(maxsize=65_536)
def _synsets(word: str, pos: str) -> frozenset[int]:
    senses = _data()["senses"][pos]
    own = frozenset(senses.get(word, ()))
    if pos == "n" and not word.endswith("s"):
        # Lemmas lose a plural that is a word of its own: "talks" are negotiations, not speeches.
        own |= frozenset(senses.get(word + "s", ()))
    return own


@lru_cache(maxsize=65_536)
def _with_hypernyms(word: str, pos: str) -> frozenset[int]:
    hypernyms = _data()["hypernyms"]
    own = _synsets(word, pos)
    return own | frozenset(h for s in own for h in hypernyms.get(str(s), ()))


@lru_cache(maxsize=65_536)
def same_sense(a: str, b: str, pos: str) -> bool:
    """Can `a` and `b` name the same thing (pos "n") or event ("v")? The same word, a shared synset among
    their first senses ("release"/"free", "house"/"home"), or one's sense directly under the other's
    ("detainee" is a kind of "prisoner", "raze" of "destroy")."""
    if a == b:
        return True
    sa, sb = _synsets(a, pos), _synsets(b, pos)
    if not sa or not sb:
        return False
    if _main(a, pos) in _leads(b, pos) or _main(b, pos) in _leads(a, pos):
        return True  # "brought to hospital" / "taken to hospital": the main sense of one is a sense of the other
    return bool(sa & sb or _with_hypernyms(a, pos) & sb or sa & _with_hypernyms(b, pos))


def _main(word: str, pos: str) -> int | None:
    senses = _data()["senses"][pos].get(word)
    return senses[0] if senses else None


def _leads(word: str, pos: str) -> frozenset[int]:
    """The rarer senses of `word` that are the main sense of another word."""
    return frozenset(_data().get("leads", {}).get(pos, {}).get(word, ()))


def sense_keys(word: str, pos: str) -> list[str]:
    """Keys shared by any two words same_sense() may call alike: their senses and the senses above them.
    A word's own senses are filed with their hypernyms, so a word meets the words directly under it."""
    return [f"{pos}{s}" for s in sorted(_with_hypernyms(word, pos) | _leads(word, pos))]


@lru_cache(maxsize=1)
def _antonym_map() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a, b in _data()["antonyms"]:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {word: frozenset(others) for word, others in out.items()}


def antonyms(word: str) -> frozenset[str]:
    """Words WordNet gives as a direct antonym of a sense of `word`: rise/fall, open/closed, pass/fail."""
    return _antonym_map().get(word, frozenset())


def own_senses(word: str, pos: str) -> list[str]:
    """Keys of a word's own senses: two words share one when they are synonyms in some sense."""
    return [f"{pos}{s}" for s in sorted(_synsets(word, pos) | _leads(word, pos))]


@lru_cache(maxsize=65_536)
def _ancestors(synset: int) -> frozenset[int]:
    hypernyms = _data()["hypernyms"]
    out: set[int] = set()
    stack = [synset]
    while stack:
        for parent in hypernyms.get(str(stack.pop()), ()):
            if parent not in out:
                out.add(parent)
                stack.append(parent)
    return frozenset(out)


# What can do a deed: a person, an organisation, a group of people (each word's first sense).
ACTOR_WORDS = ("person", "organization", "group")


@lru_cache(maxsize=65_536)
def is_actor(word: str) -> bool:
    """Can `word` name a doer? A name (a word WordNet does not know), or a noun whose first sense falls
    under person, organisation or group: "crew", "contractor", "police", not "photo", "song" or "law"."""
    senses = _data()["senses"]["n"].get(word)
    if senses is None:
        return not any(word in _data()["senses"][pos] for pos in ("v", "a"))
    roots = {_data()["senses"]["n"][w][0] for w in ACTOR_WORDS}
    return any(s in roots or _ancestors(s) & roots for s in senses[:1])


def _first_sense_under(word: str, root: str) -> bool:
    """Is `word`'s first noun sense the first sense of `root`, or a kind of it?"""
    senses = _data()["senses"]["n"].get(word)
    if not senses:
        return False
    top = _data()["senses"]["n"][root][0]
    return senses[0] == top or top in _ancestors(senses[0])


@lru_cache(maxsize=65_536)
def is_person(word: str) -> bool:
    """Does `word`'s first sense name a kind of person ("citizen", "national", "patient")?"""
    return _first_sense_under(word, "person")


def is_noun(word: str) -> bool:
    return word in _data()["senses"]["n"]


# Suffixes that make a noun of an event from its verb, and what the verb ends with instead.
_NOMINAL_SUFFIXES = (("ation", ""), ("ation", "e"), ("ment", ""), ("ure", "e"), ("al", "e"), ("ion", ""),
                     ("ion", "e"), ("ing", ""))


def verb_of_noun(noun: str) -> str:
    """The verb an event noun is made from ("resignation" -> "resign", "closure" -> "close", "approval"
    -> "approve"), when WordNet knows the verb; else ""."""
    verbs = _data()["senses"]["v"]
    for suffix, ending in _NOMINAL_SUFFIXES:
        if noun.endswith(suffix) and len(noun) > len(suffix) + 2:
            verb = noun[: -len(suffix)] + ending
            if verb in verbs:
                return verb
    return ""


def verb_of_participle(word: str) -> str:
    """The verb of a past participle ("burned" -> "burn", "flooded" -> "flood", "stopped" -> "stop"), or
    the word itself when WordNet knows no such verb."""
    verbs = _data()["senses"]["v"]
    if word.endswith("ed"):
        for stem in (word[:-2], word[:-1], word[:-3]):
            if stem in verbs:
                return stem
    return word


def is_word(word: str) -> bool:
    """Is `word` an English noun, verb or adjective in WordNet (not only a name), as it stands or as an
    inflection of one ("managing", "appointed", "ministers")?"""
    forms = {word}
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)]
            forms |= {base, base + "e"}
    return any(form in senses for form in forms for senses in _data()["senses"].values())


@lru_cache(maxsize=65_536)
def is_event(word: str) -> bool:
    """Does `word`'s first sense name an event or an act ("shooting", "death", "incident")?"""
    return _first_sense_under(word, "event")


@lru_cache(maxsize=65_536)
def kind_of(a: str, b: str, pos: str, depth: int = 2) -> bool:
    """Is a sense of `a` a sense of `b` or a kind of one, at most `depth` steps down ("wildfire" is a kind
    of "fire" two steps down)?"""
    hypernyms = _data()["hypernyms"]
    frontier = set(_synsets(a, pos))
    target = _synsets(b, pos)
    for _ in range(depth + 1):
        if frontier & target:
            return True
        frontier = {h for s in frontier for h in hypernyms.get(str(s), ())}
    return False
