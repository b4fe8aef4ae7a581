"""Who did what to whom in a clause, and when: one Frame per event the clause asserts.

A sentence asserts more than its main verb: "the full data, presented on Sunday, prompted scepticism"
says when the data were presented; "soldiers of Ruritania opened fire on a border post" says who
fired; "No Ruritanian soldier crossed the border" denies a crossing. The checks compare frames of the
same event across sources: the same predicate (or its antonym) with a shared participant, and then
the other polarity, another doer, or another day. Read from the dependency parse only."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from .lexicon import REPORTING_VERBS, ROLE_SYNONYMS, lemma_of
from .model import Claim, Frame
from .wordnet import antonyms, is_actor, is_event, is_person, is_word, kind_of, own_senses, same_sense, verb_of_noun


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return json.loads(resources.files("claimdiff").joinpath("data", "frames.json").read_text("utf-8"))


def light_verbs() -> frozenset[str]:
    return frozenset(_vocabulary()["light_verbs"])


def converse(taker: str, giver: str) -> bool:
    """Do `taker` and `giver` tell one transfer from its two ends ("received" / "granted")?"""
    return giver in _vocabulary()["converses"].get(taker, ())


def reciprocal_verbs() -> frozenset[str]:
    return frozenset(_vocabulary()["reciprocal"])


def cause_verbs() -> frozenset[str]:
    return frozenset(_vocabulary()["causes"])


def occurrence_verbs() -> frozenset[str]:
    return frozenset(_vocabulary()["occurrence"])


def other_instance() -> frozenset[str]:
    return frozenset(_vocabulary()["other_instance"])


def copulas() -> frozenset[str]:
    return frozenset(_vocabulary()["copulas"])


NEGATIVE_WORDS = {"no", "never", "nobody", "none", "nothing", "neither", "nor", "not", "n't", "no-one"}
RELATIVE_WORDS = {"which", "that", "who", "whom", "whose"}
PRONOUN_WORDS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "me", "this", "these",
                 "those", "one", "itself", "themselves", "himself", "herself", "myself", "ourselves", "yourself"}
NOUNS = {"NOUN", "PROPN"}
NAME_TYPES = {"GPE", "NORP", "ORG", "PERSON"}
QUANTIFIERS = {"all", "every", "each", "most", "many", "some", "several", "few", "both", "any"}


FIRST_PERSON = {"i", "we"}


def frames_of(span, ents: list, skip: set[int], aliases, speaker: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
              ) -> tuple[Frame, ...]:
    """The frames of a clause, given its entities. `skip` holds the tokens of its attribution ("X said"), which assert
    nothing about the event. `speaker` (words, names) is who "I" and "we" are: the voice the claim is in."""
    dates: dict[int, list[str]] = {}
    for ent in ents:
        if ent.label_ in {"DATE", "TIME"} and not any(t.i in skip for t in ent):
            anchor = _date_anchor(ent)
            if anchor is not None and span.start <= anchor.i < span.end:
                dates.setdefault(anchor.i, []).append(ent.text)
    out: list[Frame] = []
    seen: set[tuple] = set()
    for tok in span:
        if tok.i in skip:
            continue
        frame = None
        if tok.pos_ == "VERB" and tok.dep_ not in {"aux", "auxpass", "amod", "compound"}:
            frame = _verb_frame(tok, aliases, dates.get(tok.i, []), speaker)
        elif tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.head.lemma_ in copulas():
            frame = _state_frame(tok, aliases, dates.get(tok.head.i, []))
        elif tok.dep_ == "advmod" and tok.head.lemma_ in copulas() and _moved_from(tok):
            verb = tok.head
            frame = Frame(predicate=_moved_from(tok), agent=_phrase(subject_of(verb), aliases),
                          negated=_negated(verb, (subject_of(verb),)), dates=tuple(dates.get(verb.i, [])),
                          text=_as_written(verb, tok))
        elif tok.dep_ == "pobj" and tok.pos_ == "NOUN" and tok.head.dep_ == "prep" and _bare_copula(tok.head.head) \
                and tok.head.lower_ in STATE_PREPOSITIONS:
            frame = _place_state_frame(tok, aliases, dates.get(tok.head.head.i, []))
        elif tok.pos_ == "NOUN" and tok.i in dates and not any(
                c.dep_ in {"amod", "compound"} and c.lower_ in _vocabulary()["other_instance"] for c in tok.children):
            frame = Frame(predicate=lemma_of(tok), dates=tuple(dates[tok.i]), noun=True,
                          negated=any(c.lower_ in NEGATIVE_WORDS for c in tok.children if c.dep_ == "det"),
                          patient=_phrase(_of_object(tok), aliases))
        if tok.pos_ == "VERB" and lemma_of(tok) in _vocabulary()["acknowledging"]:
            acknowledged = _acknowledged(tok, aliases)
            if acknowledged is not None and acknowledged.predicate not in {f.predicate for f in out}:
                out.append(acknowledged)
        if frame is None or (frame.predicate in REPORTING_VERBS and _reports(tok)) or (
                frame.predicate in copulas() and any(
                c.dep_ == "acomp" for c in tok.children)):
            continue
        key = (frame.predicate, frame.negated, frame.agent, frame.patient, frame.dates)
        if key not in seen:
            seen.add(key)
            out.append(frame)
    return tuple(out)


def _acknowledged(verb, aliases) -> Frame | None:
    """The event an acknowledging verb takes as done: "accepted the resignation of Ms Doe" is Ms Doe
    resigning. Only for a noun made from a verb (resignation, appointment, closure) with an "of" phrase."""
    noun = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    holder = _of_object(noun) if noun is not None else None
    if holder is None or _unasserted(verb) or _negated(verb, ()):
        return None
    action = verb_of_noun(lemma_of(noun))
    if not action:
        return None
    names: list[str] = []
    return Frame(predicate=action, agent=_phrase(holder, aliases, names), names=tuple(names),
                 text=f"{verb.text} the {noun.text}")


def _reports(verb) -> bool:
    """A reporting verb that reports ("admitted that ...", "said"), not one that acts ("was admitted to
    hospital", "confirmed the figure" is still a report)."""
    if verb.pos_ != "VERB" or any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children):
        return True  # "said that ...", "is believed to be ..."
    return not any(c.dep_ in {"nsubjpass", "dobj"} and c.pos_ in NOUNS | {"PRON"} for c in verb.children)


TIME_NOUNS = {"night", "morning", "afternoon", "evening", "day", "dawn", "midnight", "noon", "a.m.", "p.m.", "am",
              "pm", "hour", "hrs"}


def _date_anchor(ent):
    """The verb or noun a date mention belongs to: "met on Thursday" -> met, "Friday's exchange" ->
    exchange, "a meeting on 6 May" -> meeting, "which started last week" -> started."""
    node = ent.root
    head = node.head
    if node.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    elif node.dep_ == "poss":
        return head if head.pos_ == "NOUN" else None
    if head.pos_ == "NOUN" and head.lemma_.lower() in TIME_NOUNS and head.dep_ in {"pobj", "npadvmod"}:
        # "on Sunday afternoon", "on Tuesday night": the day of what the night is the time of.
        up = head.head.head if head.dep_ == "pobj" else head.head
        return up if up.pos_ in {"VERB", "NOUN", "AUX"} else head
    if head.pos_ in {"VERB", "NOUN", "AUX"}:
        return head
    return None


def _verb_frame(verb, aliases, dates: list[str], speaker: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
                ) -> Frame | None:
    lemma = lemma_of(verb)
    children = list(verb.children)
    particle = next((c for c in children if c.dep_ == "prt"), None)
    predicate = f"{lemma} {particle.lower_}" if particle is not None else lemma
    complement = next((c for c in children if c.dep_ in {"oprd", "acomp"} and c.pos_ == "ADJ"), None)
    if complement is not None and lemma not in copulas():
        predicate += " " + lemma_of(complement)  # "was not made public" is not "made its offer"
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN")
    subject = subject_of(verb)
    # The tagger sometimes calls an object noun an adjective ("made landfall"): the relation decides.
    obj = next((c for c in children if c.dep_ in {"dobj", "attr"} and c.pos_ in NOUNS | {"PRON", "ADJ"}), None)
    if obj is not None and obj.lower_ in RELATIVE_WORDS:
        obj = _antecedent(obj, verb)  # "the man, whom police did not identify": the man
    if obj is None and lemma not in REPORTING_VERBS:
        # "recommended that a load limit be imposed": what was recommended is the limit.
        # "found the pier to be in poor condition", "found the building unfit": a small clause's subject.
        clause = next((c for c in children if c.dep_ == "ccomp" and (
            any(m.dep_ == "mark" for m in c.children) or c.pos_ == "ADJ"
            or (c.lemma_ == "be" and any(m.tag_ == "TO" for m in c.children)))), None)
        if clause is not None:
            obj = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ in NOUNS), None)
    agent_tok = None
    patient_tok = None
    if passive:
        # "The vessel was issued a clearance": what was given is the object; the subject received it.
        patient_tok = obj if obj is not None and obj.pos_ in NOUNS else subject
        by = next((c for c in children if c.dep_ == "agent"), None)
        if by is None:
            # "closed with a chain by the staff": the parse may hang the by-phrase on the object before it.
            by = next((b for p in children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
                       for b in o.children if b.dep_ in {"prep", "agent"} and b.lower_ == "by"), None)
        if by is not None:
            agent_tok = next((c for c in by.children if c.dep_ == "pobj"), None)
    else:
        agent_tok, patient_tok = subject, obj
    if lemma == "be":
        if not any(c.dep_ == "expl" for c in children):
            return None
        # "There were no treatment-related deaths": the existence of what follows.
        predicate, patient_tok = "exist", obj or next((c for c in children if c.dep_ == "nsubj"), None)
        agent_tok = None
    if lemma in light_verbs() and patient_tok is None:
        return None
    if predicate == "take" and obj is not None and obj.lower_ == "place":
        predicate = "take place"
    if predicate in occurrence_verbs() and subject is not None and subject.pos_ == "NOUN" and not passive:
        # "The exchange took place on Saturday", "the fire broke out on Monday": the event is the noun.
        return Frame(predicate=lemma_of(subject), negated=_negated(verb, (subject,)), dates=tuple(dates),
                     noun=True, patient=_phrase(_of_object(subject), aliases))
    negated = _negated(verb, (agent_tok, patient_tok)) != _implied_not(verb)
    anyone = agent_tok is not None and _no_one(agent_tok)  # "No inspection has ever recommended ..."
    if agent_tok is not None and _counted_or_generic(agent_tok) and agent_tok.lower_ not in FIRST_PERSON:
        agent_tok = None
    # "failed to confirm", "was forced to return fire": what is asserted is the complement's event.
    modal = _unasserted(verb) or any(c.dep_ == "xcomp" and not _implied(c) for c in children) or (
        # "declined to make an offer" (then, or of that kind) denies no particular offer: unsure.
        _implied_not(verb) and patient_tok is not None and not _known(patient_tok))
    names: list[str] = []
    agent = _phrase(agent_tok, aliases, names)
    voiced = False
    if agent_tok is not None and agent_tok.lower_ in FIRST_PERSON and speaker[0]:
        # "I declared it in writing", said by Ms Doe: Ms Doe declared it.
        agent, names, voiced = speaker[0], list(speaker[1]), True
    elif agent_tok is not None and speaker[1] and not names and any(
            c.dep_ == "poss" and c.lower_ in {"our", "my"} for c in agent_tok.children):
        names, voiced = list(speaker[1]), True  # "cleared by our own people": the speaker's side did it
    patient_names: list[str] = []
    return Frame(predicate=predicate, negated=negated, agent=agent,
                 patient=_phrase(patient_tok, aliases, patient_names), patient_names=tuple(patient_names),
                 dates=tuple(dates), modal=modal, anyone=anyone,
                 names=tuple(names), where=_where(verb, aliases), known=_known(patient_tok),
                 text=_as_written(verb, complement), voiced=voiced, rating=_rating(verb))


def _rating(verb) -> str:
    """The grade a verb gives, in its own clause or a small clause under it: "rated the bridge in fair
    condition", "found the pier to be in poor condition"."""
    vocabulary = _vocabulary()
    for node in [verb, *(c for c in verb.children if c.dep_ in {"ccomp", "xcomp", "oprd"})]:
        for prep in node.children:
            if prep.dep_ != "prep" or prep.lower_ != "in":
                continue
            for noun in prep.children:
                if noun.dep_ == "pobj" and lemma_of(noun) in vocabulary["rated_nouns"]:
                    grade = next((lemma_of(c) for c in noun.children if c.dep_ == "amod"
                                  and lemma_of(c) in vocabulary["ratings"]), "")
                    if grade:
                        return grade
    return ""


def _known(token) -> bool:
    """Is the thing done to not one of many: not "an offer", "a ship", "two merchant vessels", "some
    help"? A deed done to one of many ("rescued a ship") may have many doers; "raised the alarm" one."""
    if token is None:
        return False
    # A number after a name labels it ("Gate 3"); before a noun it counts ("two vessels").
    return not any((c.dep_ == "det" and c.lower_ in {"a", "an", "some", "any", "another", "each", "every"})
                   or (c.dep_ == "nummod" and not (token.pos_ == "PROPN" and c.i > token.i))
                   for c in token.children)


# Where an event went: a destination names one place; "in Lagos" and "on the stock exchange" may be
# the same place at two scales.
WHERE_PREPOSITIONS = {"into", "to", "onto"}


def _where(verb, aliases) -> tuple[str, ...]:
    """Where the event took it: the named place after "into", "to", "onto" ("checked into the Elm clinic").
    Names only: "into the sea" and "to traffic" name no place to tell apart."""
    out: list[str] = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in WHERE_PREPOSITIONS:
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and (obj.ent_type_ in {"GPE", "LOC", "FAC", "ORG"} or (
                    obj.pos_ == "PROPN" and obj.ent_type_ not in {"DATE", "TIME"})):
                out.append(aliases(" ".join(t.text for t in obj.subtree if t.ent_type_ or t.pos_ == "PROPN")))
    return tuple(out)


def _counted_or_generic(token) -> bool:
    """A doer given as a count or share ("62 percent of voters", "hundreds of guests", "everyone") is a
    part of some group, not a rival doer."""
    if token.like_num or token.pos_ in {"PRON", "NUM"} or token.lemma_.lower() in {"percent", "%", "per"}:
        return True
    return any((c.dep_ == "nummod" and not _a_label(c)) or (c.dep_ in {"det", "amod"} and c.lower_ in QUANTIFIERS)
               for c in token.children)


def _a_label(number) -> bool:
    """A number that names rather than counts: "the magnitude 4.8 aftershock", a decimal with no scale."""
    return "." in number.text and not any(c.lower_ in {"million", "billion", "thousand"} for c in number.head.children)


def _no_one(token) -> bool:
    return token.lower_ in {"nobody", "nothing", "none", "no-one"} or any(
        c.dep_ == "det" and c.lower_ in {"no", "neither"} for c in token.children)


def _bare_copula(verb) -> bool:
    """A linking verb with neither adjective, noun nor object after it: "was in effect"."""
    return verb.lemma_ in copulas() and not any(c.dep_ in {"acomp", "attr", "dobj"} for c in verb.children)


# A state is where something is ("in effect", "in custody", "on strike", "under way"), not what it is for.
STATE_PREPOSITIONS = {"in", "on", "at", "under", "inside", "outside", "within"}


def _place_state_frame(noun, aliases, dates: list[str]) -> Frame:
    """"The warning remained in effect", "no warning was in effect", "the suspect is in custody": a state
    given by a linking verb and a prepositional phrase."""
    verb = noun.head.head
    subject = subject_of(verb)
    return Frame(predicate=f"{noun.head.lower_} {lemma_of(noun)}", negated=_negated(verb, (subject,)),
                 patient=_phrase(subject, aliases), dates=tuple(dates))


def _state_frame(adj, aliases, dates: list[str]) -> Frame:
    """"The road remained open", "the hospital is operational": a state of the copula's subject.
    A comparison with an earlier time is a change: "turnout was lower than in 2018" is turnout falling."""
    verb = adj.head
    subject = subject_of(verb)
    direction = _compared(adj)
    if direction:
        return Frame(predicate=direction, negated=_negated(verb, (subject,)), agent=_phrase(subject, aliases),
                     dates=tuple(dates), text=_as_written(verb, adj))
    return Frame(predicate=lemma_of(adj), negated=_negated(verb, (subject,)), patient=_phrase(subject, aliases),
                 dates=tuple(dates), text=_as_written(verb, adj))


def _compared(adj) -> str:
    """"rise" or "fall" for a comparative set against another time or case ("lower than in the previous
    vote"); "" for anything else, and for a comparison with a bare number ("higher than 40"), which is a bound."""
    if adj.tag_ != "JJR":
        return ""
    than = next((c for c in adj.children if c.dep_ == "prep" and c.lower_ == "than"), None)
    if than is None or any(c.like_num for c in than.children):
        return ""
    lemma = adj.lemma_.lower()
    if lemma in _vocabulary()["higher"]:
        return "rise"
    return "fall" if lemma in _vocabulary()["lower"] else ""


def _moved_from(adverb) -> str:
    """"rise" or "fall" for "up from" or "down from" on a linking verb: "turnout was 52 percent, up from
    47 percent", "exports were down 3 percent from a year earlier"."""
    if adverb.lower_ not in {"up", "down"} or not any(c.dep_ == "prep" and c.lower_ == "from"
                                                       for c in adverb.children):
        return ""
    return "rise" if adverb.lower_ == "up" else "fall"


def _as_written(verb, extra=None) -> str:
    """The event's words as the source wrote them: "was not breached", "never examined", "remained open"."""
    words = [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass", "neg", "prt"} or (
        c.dep_ == "advmod" and c.lower_ == "never"))]
    if extra is not None:
        words.append(extra)
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def _implied_not(verb) -> bool:
    """Is an infinitive the complement of a negative implicative verb, which asserts it did not happen
    ("refused to resign", "failed to stop it")? A refusal after a preposition is a fact ("was sacked
    after refusing to resign")."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i or lemma_of(head) not in _vocabulary()["negative_implicatives"]:
        return False
    return (head.dep_ == "pcomp" and head.head.lower_ in {"after", "despite", "since"}) or not _unasserted(head)


def _implied(verb) -> bool:
    """Is an infinitive the complement of an implicative verb ("was forced to return fire", "managed to
    reach the shore"), which asserts it, itself asserted?"""
    head = verb.head
    return verb.dep_ == "xcomp" and head.i != verb.i and lemma_of(head) in _vocabulary()["implicatives"] and \
        not _unasserted(head)


def _unasserted(verb) -> bool:
    """Is the event only wished, planned, required or supposed? A modal other than will ("may",
    "would", "should"), or a bare infinitive or subjunctive ("to end on March 13", "demands that the
    bank grant approval"), or a condition ("if ...")."""
    auxiliaries = [c for c in _verb_chain(verb) if c.dep_ in {"aux", "auxpass"}]
    if any(c.tag_ == "MD" and c.lower_ not in {"will", "shall", "'ll", "wo"} for c in auxiliaries):
        return True
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in verb.children):
        return True
    own = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if verb.tag_ == "VBG" and verb.dep_ in {"pcomp", "attr", "acomp", "csubj", "xcomp"} and not own:
        return True  # "their goal wasn't saving it", "no hope of saving it": a goal, not a deed
    if verb.tag_ == "VB" and not any(c.tag_ == "MD" or c.lemma_ == "do" for c in own) and not (
            _implied(verb) or _implied_not(verb)):
        return True
    node = verb
    for _ in range(3):
        # "worked hard to ensure that the fire didn't spread": what a purpose clause says is a goal.
        if node.dep_ not in {"ccomp", "xcomp", "advcl"} or node.head.i == node.i:
            return False
        node = node.head
        if node.tag_ == "VB" and any(c.tag_ == "TO" for c in node.children):
            return True
    return False


def _verb_chain(verb) -> list:
    """The verb and the verbs it hangs from by xcomp ("was forced to return"), for auxiliaries and negation."""
    chain = [verb]
    node = verb
    while node.dep_ in {"xcomp", "ccomp"} and node.head.i != node.i and len(chain) < 4:
        node = node.head
        chain.append(node)
    return [c for v in chain for c in v.children]


def subject_of(verb):
    """The verb's subject, through conjunctions ("were freed and reunited"), relative clauses ("works,
    which started") and participles ("the full data, presented on Sunday")."""
    node = verb
    for _ in range(4):
        found = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if found is not None:
            if found.lower_ in RELATIVE_WORDS:
                return _antecedent(found, node)
            if found.lower_ == "it" and node.dep_ in {"advcl", "conj"}:
                return _it_before(found) or found
            return found
        if node.dep_ in {"acl", "relcl"} and node.head.pos_ in NOUNS:
            return node.head
        if node.dep_ in {"conj", "xcomp"} and node.head.i != node.i:
            node = node.head
            continue
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.pos_ in {"VERB", "AUX"}:
            node = node.head.head  # "was sacked after refusing to resign": the one sacked refused
            continue
        return None
    return None


def _it_before(pronoun):
    """What "it" stands for in a clause hung on an earlier one ("brought a wildfire under control, which
    had burned since it broke out on Sunday"): the last thing (not a person, not a name) that clause
    named as its subject or object."""
    for tok in reversed(list(pronoun.sent)[: pronoun.i - pronoun.sent.start]):
        if tok.dep_ in {"nsubj", "nsubjpass", "dobj"} and tok.pos_ == "NOUN" and tok.tag_ == "NN" \
                and not is_person(lemma_of(tok)):
            return tok
    return None


def _antecedent(relative, clause):
    """What "which" or "who" stands for: the noun its clause hangs from, or, where the parse hung the
    clause elsewhere ("works, which started last week"), the noun just before it."""
    if clause.dep_ == "relcl":
        return clause.head
    doc = relative.doc
    i = relative.i - 1
    while i >= 0 and doc[i].is_punct and relative.i - i <= 2:
        i -= 1
    return doc[i] if i >= 0 and doc[i].pos_ in NOUNS else None


def _negated(verb, arguments) -> bool:
    """Negation of the event: "not", "never" on the verb or its auxiliaries, or a negative determiner of
    its subject or object ("No soldier crossed", "received no relief")."""
    for child in verb.children:
        if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ in {"never"}):
            return True
    for arg in arguments:
        if arg is None:
            continue
        if arg.lower_ in {"nobody", "nothing", "none", "no-one"}:
            return True
        if any(c.dep_ == "det" and c.lower_ in {"no", "neither"} for c in arg.children):
            return True
    # "did not manage to cross"
    return verb.dep_ == "xcomp" and any(c.dep_ == "neg" for c in verb.head.children)


def _of_object(token):
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((o for o in child.children if o.dep_ == "pobj"), None)
    return None


def _phrase(head, aliases, names: list[str] | None = None) -> tuple[str, ...]:
    """Content words of a participant, head first: "soldiers of the Border Troops of Ruritania" ->
    (soldier, troop, border, ruritania). Pronouns name nobody. The names among them (people,
    places, bodies, nationalities) are also added to `names`, when given."""
    if head is None or head.lower_ in PRONOUN_WORDS or head.lower_ in RELATIVE_WORDS:
        return ()
    words: list[str] = []

    def add(tok) -> None:
        # The recognizer misses some names ("Vardaki border guards" opening a sentence): a capitalised
        # word English does not have is one.
        named = tok.ent_type_ in NAME_TYPES or (tok.text[:1].isupper() and not tok.ent_type_ and tok.pos_ in {
            "PROPN", "ADJ"} and tok.i != head.i and head.pos_ == "NOUN" and not is_word(tok.lower_))
        if named or (tok.pos_ == "PROPN" and not tok.ent_type_):
            word = aliases(tok.text)
        else:
            word = lemma_of(tok)
            word = ROLE_SYNONYMS.get(word, word)
        if word and word not in words and tok.lower_ not in NEGATIVE_WORDS:
            words.append(word)
            if names is not None and named:
                names.append(word)  # a recognised name: "Marine" in "the Marine Commandos" is not one

    add(head)
    frontier = [head]
    for _ in range(2):
        nxt = []
        for node in frontier:
            for child in node.children:
                if child.dep_ in {"compound", "amod", "nmod", "poss"} and child.pos_ in NOUNS | {"ADJ"}:
                    add(child)
                    nxt.append(child)
                elif child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj" and obj.pos_ in NOUNS:
                            add(obj)
                            nxt.append(obj)
                elif child.dep_ == "appos" and child.pos_ in NOUNS:
                    add(child)
        frontier = nxt
    return tuple(words)


# ---------------------------------------------------------------- comparing frames


def stem(word: str) -> str:
    """A verb and the noun made from it meet: meet/meeting, approve/approval, present/presentation."""
    for suffix in ("ation", "ition", "ment", "ing", "al", "ion", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def same_event(a: Frame, b: Frame) -> bool:
    """The same predicate: one lemma, one stem (meet/meeting), or WordNet synonyms ("free"/"release",
    "start"/"commence")."""
    if a.predicate == b.predicate:
        return True
    if "exist" in (a.predicate, b.predicate):
        return False  # "there were no deaths" is not "lived": existence meets only existence
    if " " in a.predicate or " " in b.predicate:
        return False  # a phrasal verb means its own thing: "break out" is not "break"
    if stem(a.predicate) == stem(b.predicate):
        return True
    if a.noun or b.noun:
        return False
    return synonyms(a.predicate, b.predicate)


@lru_cache(maxsize=65_536)
def synonyms(a: str, b: str) -> bool:
    return same_sense(a, b, "v") and a not in light_verbs() and b not in light_verbs()


def a_change(frame: Frame) -> bool:
    """Does the frame say a figure went up or down ("its net profit fell", "turnout was lower than in 2018")?"""
    return bool(frame.agent) and not frame.modal and (
        frame.predicate in _vocabulary()["up"] or frame.predicate in _vocabulary()["down"])


def under_way(frame: Frame) -> bool:
    """An activity going on ("was climbing", "are considering arson"), not a done deed or an outcome."""
    return frame.text.endswith("ing")


def opposite_events(a: Frame, b: Frame) -> bool:
    """Antonymous predicates by WordNet (rise/fall, open/closed, accept/reject, pass/fail), or changes in
    opposite directions ("net income increased" / "net profit fell")."""
    if under_way(a) or under_way(b):
        return False  # "was climbing" when he fell, "had been living in Melbourne": under way, not an outcome
    if b.predicate in antonyms(a.predicate) or a.predicate in antonyms(b.predicate):
        return True
    giving, withholding = _vocabulary()["giving"], _vocabulary()["withholding"]
    if (a.predicate in giving and b.predicate in withholding) or (a.predicate in withholding and b.predicate in giving):
        return bool(a.patient and b.patient)  # "refused clearance" / "was issued a clearance"
    if a.patient or b.patient:
        return False  # "sank a ship" is no change of a quantity; "shares fell" is
    if any(f.agent and is_actor(f.agent[0]) for f in (a, b)):
        return False  # a climber who fell moved; "shares fell" is a figure that went down
    up, down = _vocabulary()["up"], _vocabulary()["down"]
    return (a.predicate in up and b.predicate in down) or (a.predicate in down and b.predicate in up)


def written_as(text: str, words: tuple[str, ...], longest: int = 60, numbered: bool = False) -> str:
    """A participant as the sentence writes it ("Vardaki border guards" for guard, vardaki, border): the
    stretch of text from the first of its words to the last, when short, with the number that follows it
    when `numbered` ("Pier 4"); else its head word."""
    spans = []
    for word in words:
        found = re.search(r"\b" + re.escape(word[:max(4, len(word) - 2)]) + r"[\w'’-]*" + (
            r"(?:\s+\d+)?" if numbered else ""), text, re.IGNORECASE)
        if found:
            spans.append(found.span())
    if not spans or len(spans) < len(words):
        return words[0] if words else ""
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return text[start:end] if end - start <= longest else words[0]


def share(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Do two participants name the same thing? Their heads are alike (one lemma or a WordNet
    synonym), or a name of one is among the words of the other."""
    if not x or not y:
        return False
    if not (x[0] == y[0] or same_sense(x[0], y[0], "n") or x[0] in y or y[0] in x):
        return False
    # "the national minimum wage" is not "real wages": modifiers on both sides, none shared.
    return not (x[1:] and y[1:] and not set(x[1:]) & set(y[1:]))


def differ(x: tuple[str, ...], y: tuple[str, ...], names_x: tuple[str, ...] = (),
           names_y: tuple[str, ...] = ()) -> bool:
    """Are two doers certainly different? Where both name people, places or bodies, when no name of one
    is a name of the other ("Swede" is "Sweden"); where neither does, when their heads differ ("the
    contractor", "the department's crew"), neither head is a word of the other, nor a WordNet synonym.
    A name against a description ("Ms Marlow", "the actress") may be one doer: not certain."""
    if not x or not y:
        return False
    if _abbreviates(x, y) or _abbreviates(y, x):
        return False
    if names_x and names_y:
        return not any(same_name(a, b) for a in names_x for b in names_y)
    if names_x or names_y:
        return False  # "the actress" may well be "Ms Marlow": a name against a description is unsure
    if x[0] in y or y[0] in x or x[0].rstrip("s") == y[0].rstrip("s"):
        return False  # "Commandos" written as a name and "commandos" lemmatised are one word
    return not same_sense(x[0], y[0], "n")


def same_name(a: str, b: str) -> bool:
    """One name, written as a country or its people ("swede"/"sweden"), or one inside the other."""
    if a == b or set(a.split()) <= set(b.split()) or set(b.split()) <= set(a.split()):
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short[:max(4, len(short) - 1)])


def _abbreviates(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """"ecb" for the European Central Bank: a short word whose letters but one are initials of the other's words."""
    word = short[0]
    if len(short) > 1 or not 2 <= len(word) <= 6 or " " in word:
        return False
    initials = {w[:1] for w in long}
    return sum(ch in initials for ch in word) >= max(2, len(word) - 1)


def _predicate_keys(frame: Frame) -> list[str]:
    """What two frames of one event, or of opposite events, have in common however they are worded."""
    word = frame.predicate
    keys = [stem(word)]
    if " " not in word and not frame.noun and word not in light_verbs():
        keys += own_senses(word, "v")
    keys += ["/".join(sorted((word, other))) for other in antonyms(word)]
    if word in _vocabulary()["up"] or word in _vocabulary()["down"]:
        keys.append("change")  # any two changes may go opposite ways
    return keys


def frame_keys(frames: tuple[Frame, ...]) -> tuple[str, ...]:
    """Blocking keys: an event's predicate (by stem, sense or antonym pair) with each of its
    participants' heads, and with "@" for an event given a date."""
    keys: list[str] = []
    for frame in frames:
        heads = [x[0] for x in (frame.patient, frame.agent) if x]
        if frame.dates:
            heads.append("@")
        for key in _predicate_keys(frame):
            keys += [f"f:{key}|{head}" for head in heads]
        if frame.rating and frame.patient:
            keys.append(f"f:graded|{frame.patient[0]}")  # "found it in poor condition" meets "rated it fair"
    return tuple(dict.fromkeys(keys))


def frame_pairs(a: Claim, b: Claim) -> Iterator[tuple[Frame, Frame]]:
    for fa in a.frames:
        for fb in b.frames:
            yield fa, fb


def participants_meet(fa: Frame, fb: Frame) -> bool:
    """The two frames are about the same thing: the same patient, or (for events without one, "shares
    fell", "the road remained open") the same subject, whichever role the parse gave it."""
    if fa.patient and fb.patient:
        return share(fa.patient, fb.patient)
    return share(fa.agent, fb.agent) or share(fa.patient or fa.agent, fb.patient or fb.agent)


# An event named by a noun on one side ("at a meeting on 6 May") and by its verb on the other ("met on
# Thursday") has no participants to compare: the two sentences must then be this alike.
NOUN_EVENT_SIMILARITY = 0.3


def one_dated_event(fa: Frame, fb: Frame, similar: bool) -> bool:
    """Are two dated frames one event? Both name the same event noun ("Friday's exchange" / "the
    exchange took place on Saturday"); or the same predicate with a shared participant; or an event
    noun and an event it does ("the outage struck the cold room on Sunday" is the outage's day); or,
    in `similar` sentences, an event noun and its verb (meeting / met)."""
    if not (fa.dates and fb.dates):
        return False
    if fa.noun and fb.noun:
        # "the wildfire" is the fire: one event noun at most two steps under the other in WordNet.
        return stem(fa.predicate) == stem(fb.predicate) or (
            is_event(fa.predicate) and is_event(fb.predicate) and (
                kind_of(fa.predicate, fb.predicate, "n") or kind_of(fb.predicate, fa.predicate, "n")))
    if fa.noun or fb.noun:
        noun, verb = (fa, fb) if fa.noun else (fb, fa)
        if verb.agent and verb.agent[0] == noun.predicate and not is_actor(noun.predicate):
            return True  # the outage struck: an event noun as the doer, not "voters adopted"
        return similar and stem(noun.predicate) == stem(verb.predicate)
    return same_event(fa, fb) and participants_meet(fa, fb)


def denies_count(frame: Frame, qty) -> bool:
    """Does "there were no X" deny a figure of X above zero ("two deaths", "14 arrests")?"""
    if frame.predicate != "exist" or not frame.negated or not frame.patient or frame.modal:
        return False
    if qty.low <= 0 or qty.unit != "count" or not qty.counted:
        return False
    from .measures import measure_class  # measures reads subjects through this module

    head = frame.patient[0]
    thing = (qty.counted.rpartition("|")[2].split() or [""])[-1]
    return thing == head or same_sense(thing, head, "n") or bool(qty.measure and qty.measure == measure_class(head))


def dated_in_one_place(fa: Frame, fb: Frame) -> bool:
    """One verb, both given a day, in sentences that name the same place or body ("the results were
    presented today at the congress in Porto" / "the data, presented on Sunday at a congress in Porto"):
    the same event even when its participants are worded apart."""
    return (fa.dates and fb.dates and not fa.noun and not fb.noun and fa.predicate == fb.predicate
            and fa.predicate not in light_verbs() and fa.predicate not in copulas()) is True


def given_by_named(a: Claim, fa: Frame, b: Claim, fb: Frame) -> bool:
    """One transfer told from its two ends, the giver named on both sides, of one thing: "the deal has
    received the approval of the central bank" / "the central bank has not granted approval"."""
    for taker_claim, taker, giver in ((a, fa, fb), (b, fb, fa)):
        if converse(taker.predicate, giver.predicate) and giver.names and share(taker.patient, giver.patient) and any(
                same_name(n, e) for n in giver.names for e in taker_claim.entities):
            return True
    return False


def frames_meet(a: Claim, b: Claim) -> bool:
    """Do two claims assert the same event, or opposite ones, of a shared participant, or give a day
    for one event, or does one deny what the other counts ("no deaths" / "two deaths")?"""
    for denier, counter in ((a, b), (b, a)):
        if any(denies_count(frame, q) for frame in denier.frames for q in counter.quantities):
            return True
    shared_names = bool(set(a.entities) & set(b.entities))
    for fa, fb in frame_pairs(a, b):
        if one_dated_event(fa, fb, similar=True) or (shared_names and dated_in_one_place(fa, fb)):
            return True
        if not (fa.noun or fb.noun) and (same_event(fa, fb) or opposite_events(fa, fb)) and participants_meet(fa, fb):
            return True
        if given_by_named(a, fa, b, fb):
            return True
        if fa.rating and fb.rating and share(fa.patient, fb.patient):
            return True
    return False
