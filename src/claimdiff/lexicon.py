"""Word lists the analysis relies on. Data, kept apart from the logic that uses it."""

from __future__ import annotations

REPORTING_VERBS = {
    "say", "tell", "report", "claim", "state", "announce", "confirm", "deny", "insist", "estimate", "add",
    "note", "argue", "assert", "allege", "acknowledge", "maintain", "warn", "write", "explain", "stress",
    "declare", "predict", "put", "testify", "disclose", "reveal", "dispute", "contend", "concede",
    "admit", "suggest", "believe", "assure", "tweet", "post",
}
# "according to Pentagon figures" -> "Pentagon": the tail names the record, not the speaker.
GENERIC_SPEAKER_TAILS = {"figures", "figure", "data", "estimates", "estimate", "statistics", "numbers", "records",
                         "statement", "count", "tally"}
# "put the number at", "the figure has been disputed": nouns that stand for a number said elsewhere.
COUNT_NOUNS = {"number", "figure", "total", "count", "tally", "toll", "estimate", "amount", "level", "sum"}
PEOPLE_NOUNS = {"people", "person", "resident", "civilian", "victim", "individual", "inhabitant", "passenger"}
DEATH_WORDS = {"death", "dead", "fatality", "casualty", "body"}
# The event a count of people belongs to: "14 people died" and "14 people are missing" count different sets.
EVENT_CLASSES = {
    "die": "dead", "kill": "dead", "dead": "dead", "perish": "dead", "drown": "dead", "death": "dead",
    "injure": "injured", "wound": "injured", "hurt": "injured", "hospitalize": "injured", "injured": "injured",
    "missing": "missing", "disappear": "missing", "unaccounted": "missing", "vanish": "missing",
    "evacuate": "evacuated", "flee": "evacuated", "displace": "evacuated",
    "rescue": "rescued", "arrest": "arrested", "detain": "arrested",
}
# Words for the same kind of actor, so "troops" and "forces" line up.
ROLE_SYNONYMS = {
    "force": "troop", "soldier": "troop", "personnel": "troop", "servicemember": "troop", "service": "service",
    "military": "military",
}
HEDGES = {"reportedly", "allegedly", "may", "might", "could", "possibly", "perhaps", "apparently",
          "unconfirmed", "rumoured", "rumored", "purportedly", "supposedly", "likely", "unverified"}
NEGATORS = {"no", "never", "nobody", "none", "nothing", "neither", "nor", "not"}
REFUTATION_LEMMAS = {"dispute", "deny", "refute", "debunk", "hoax", "fake", "false", "untrue", "baseless",
                     "unfounded", "fabricate", "fabricated", "fabrication", "bogus", "myth", "discredit", "disprove",
                     "misleading", "inaccurate", "incorrect", "wrong", "erroneous", "falsely", "dismiss", "rebut",
                     "prank", "photoshop", "photoshopped", "doctored", "nonsense", "rubbish", "ridiculous",
                     "spoof", "trash"}
REFUTATION_PHRASES = ("no evidence", "not true", "impossible to confirm", "cannot be confirmed",
                      "could not be confirmed", "can't be confirmed", "no basis", "not the case",
                      "there is no truth", "satire", "satirical", "no proof")
STOP_LEMMAS = {"be", "have", "do", "also", "currently", "now", "then", "there", "here", "only", "so", "very",
               "just", "still", "even", "more", "most", "such", "other", "which", "who", "what", "when",
               "will", "would", "can", "could", "may", "might", "say", "tell", "not", "never", "this",
               "that", "these", "those", "it", "its", "their", "they", "he", "she", "well", "back"}

# Predicates that cannot both hold of one subject. A negated predicate counts as its opposite
# ("will not keep troops" agrees with "troops will leave").
ANTONYM_CLASSES = [
    ({"stay", "remain", "keep", "retain", "maintain"}, {"leave", "withdraw", "exit", "depart", "quit", "pull"}),
    ({"rise", "increase", "grow", "climb", "jump", "soar", "gain"},
     {"fall", "drop", "decrease", "decline", "plunge", "shrink", "slump"}),
    ({"pass", "approve", "adopt"}, {"fail", "reject", "defeat", "veto"}),
    ({"confirm", "admit", "acknowledge"}, {"deny", "dispute", "refute"}),
    ({"win"}, {"lose"}),
    ({"open", "reopen"}, {"close", "shut"}),
    ({"lift", "end", "cancel"}, {"extend", "continue", "renew"}),
    ({"survive"}, {"die"}),
    ({"accept"}, {"refuse", "decline"}),
    ({"convict"}, {"acquit"}),
]


def _places(classes: list[tuple[set[str], set[str]]]) -> dict[str, tuple[tuple[int, int], ...]]:
    places: dict[str, tuple[tuple[int, int], ...]] = {}
    for i, sides in enumerate(classes):
        for side, words in enumerate(sides):
            for word in words:
                places[word] = (*places.get(word, ()), (i, side))
    return places


# Each predicate's (class, side) places in ANTONYM_CLASSES, in class order: looked up per claim and pair
# instead of scanning the classes ("decline" sits in two).
PREDICATE_SIDES = _places(ANTONYM_CLASSES)

# The small English model's lemmatiser slips on a few plurals that matter for counted things.
LEMMA_FIXES = {"dos": "dose", "datum": "data", "medium": "media", "process": "process"}


def lemma_of(token) -> str:
    """A token's lower-case lemma, with the small model's slips fixed."""
    lemma = token.lemma_.lower()
    return LEMMA_FIXES.get(lemma, lemma)
# Nouns that can be the X of "according to X".
SPEAKER_NOUNS = {"official", "source", "report", "figure", "figures", "spokesman", "spokeswoman", "spokesperson",
                 "data", "ministry", "police", "statement", "estimate", "witness", "analyst", "expert", "survey",
                 "study", "poll", "document", "record", "government", "authority", "agency", "officer", "aide",
                 "diplomat", "lawmaker", "commander", "leader", "minister", "reporter", "newspaper", "outlet",
                 "media", "investigator", "researcher", "scientist", "count", "tally", "statistic", "people",
                 "resident", "militia", "group", "association", "company", "department", "office", "service"}
