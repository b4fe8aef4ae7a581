"""Articles -> Claims: who says what, with which numbers and dates, negated or hedged or refuting."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import dates as datemod
from . import quantities as q
from .errors import LimitError
from .frames import TIME_NOUNS, a_change, frame_keys, frames_of
from .lexicon import (
    COUNT_NOUNS,
    DEATH_WORDS,
    EVENT_CLASSES,
    GENERIC_SPEAKER_TAILS,
    HEDGES,
    NEGATORS,
    PEOPLE_NOUNS,
    REFUTATION_LEMMAS,
    REFUTATION_PHRASES,
    REPORTING_VERBS,
    ROLE_SYNONYMS,
    SPEAKER_NOUNS,
    STOP_LEMMAS,
    lemma_of,
)
from .measures import is_aggregate, is_change, measure_class, measure_keys, measure_of, same_measure
from .model import Article, Claim, DateMention, Options, Quantity
from .nlp import Aliases

QUANTITY_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
QUOTES = "\"“”«»"
PRESENT_WINDOW_DAYS = 30
HEDGE_PATTERN = re.compile(r"\b(is|are|was|were) (said|believed|thought|reported) to\b", re.I)
# Adjectives that say how many, not which: "most U.S. troops" are still U.S. troops.
QUANTIFIER_WORDS = {"small", "large", "new", "other", "more", "most", "many", "few", "several", "all", "some",
                    "remaining", "additional", "total", "entire", "unspecified", "current", "further"}
TRANSITIVE_MOVES = {"keep", "retain", "maintain", "withdraw", "pull"}
CONCESSIVE = {"although", "though", "while", "whereas"}
ANAPHORA = {"number", "figure", "claim", "report", "estimate", "toll", "total", "count", "account", "it", "this"}


@dataclass
class _ArticleState:
    """What earlier sentences of the same article tell later ones (speakers, the counted thing)."""

    last_speaker: str = ""
    quote_speaker: str = ""
    last_counted: Quantity | None = None
    last_counted_dates: tuple[DateMention, ...] = ()
    last_claim: Claim | None = None
    single: bool = False
    last_person: str = ""
    sentence_speaker: str = ""  # "A, the officials said, and B": B is the officials' too
    coming_speaker: str = ""  # a quote opened here is attributed after it closes, sentences later
    claims: list[Claim] = field(default_factory=list)


# Raised whenever what extraction produces from the same text and model changes.
ANALYSIS_VERSION = "15"


@lru_cache(maxsize=1)
def analysis_versions() -> tuple[str, ...]:
    """Everything besides the article that its claims depend on: claimdiff's version, the analysis
    version, spaCy's version and the model package's. An upgraded install never reuses old claims."""
    from . import __version__
    from .nlp import versions

    found = versions()
    return (__version__, ANALYSIS_VERSION, found["spacy"], found["model"])


def cache_key(article: Article, options: Options) -> str:
    """What an article's claims depend on: its text and metadata, the aliases, and the versions of the
    code and models that analyse it."""
    payload = repr((analysis_versions(), article.id, article.source, article.date, article.text,
                    sorted(options.aliases.items())))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def extract_claims(
    articles: Iterable[Article],
    nlp,
    options: Options | None = None,
    cache: MutableMapping[str, tuple[Claim, ...]] | None = None,
) -> tuple[Claim, ...]:
    """Parse every article and return its claims in reading order. With a cache, articles analysed
    before are not parsed again. Many articles are parsed in worker processes, one per core."""
    options = options or Options()
    articles = list(articles)
    if cache is not None:
        keys = [cache_key(a, options) for a in articles]
    else:
        keys = [str(i) for i in range(len(articles))]
    known = {k: cache[k] for k in keys if cache is not None and k in cache}
    todo = [(a, k) for a, k in zip(articles, keys, strict=True) if k not in known]
    enough = len(todo) > 1 and sum(len(a.text) for a, _ in todo) >= PARALLEL_FROM_CHARS
    processes = options.parse_processes or (min(os.cpu_count() or 1, 4) if enough else 1)
    if processes > 1 and len(todo) > 1:
        results = _extract_in_processes([a for a, _ in todo], options, processes)
    else:
        results = _extract_here([a for a, _ in todo], nlp, options)
    for (_, key), claims in zip(todo, results, strict=True):
        known[key] = claims
        if cache is not None:
            cache[key] = claims
    return tuple(c for k in keys for c in known[k])


def _extract_here(articles: list[Article], nlp, options: Options) -> list[tuple[Claim, ...]]:
    from threadpoolctl import threadpool_limits

    # The parser's matrix products run in numpy's BLAS (see nlp.load_pipeline). Its threads only
    # fight the other parser processes for the cores, and alone they gain nothing at these sizes.
    with threadpool_limits(limits=1, user_api="blas"):
        return _extract_with(articles, nlp, options)


def _extract_with(articles: list[Article], nlp, options: Options) -> list[tuple[Claim, ...]]:
    aliases = Aliases(options.aliases)
    pieces = [chunks(a.text) for a in articles]
    texts = [piece for article_pieces in pieces for piece in article_pieces]
    docs = iter(nlp.pipe(texts, batch_size=8))
    out = []
    for article, article_pieces in zip(articles, pieces, strict=True):
        # Lazily, so that an article over the claims limit stops the parse instead of finishing it.
        article_docs = (next(docs) for _ in article_pieces)
        claims = []
        for claim in _article_claims(article, article_docs, aliases, pieces=len(article_pieces)):
            claims.append(claim)
            if len(claims) > options.max_claims_per_article:
                raise LimitError(
                    f"{article.path or article.id}: more than {options.max_claims_per_article} claims "
                    "in one article (raise the limit with --max-claims)"
                )
        out.append(tuple(claims))
    return out


def _worker(articles: list[Article], options: Options) -> list[tuple[Claim, ...]]:
    from .nlp import load_pipeline

    return _extract_here(articles, load_pipeline(), options)


def _extract_in_processes(articles: list[Article], options: Options, processes: int) -> list[tuple[Claim, ...]]:
    """Parse and extract in worker processes: claims travel back, parsed documents (large) do not."""
    from dataclasses import replace

    from .nlp import load_pipeline
    from .workers import process_pool

    load_pipeline()  # loaded once here; forked workers share it instead of loading their own
    portable = replace(options, nli=None)
    # Two batches a worker share the work out evenly; up to 32 articles a batch keeps what travels
    # back in one result small.
    size = max(1, min(32, len(articles) // (processes * 2)))
    batches = [articles[i:i + size] for i in range(0, len(articles), size)]
    with process_pool(processes) as pool:
        results = pool.map(_worker, batches, [portable] * len(batches))
        return [claims for batch in results for claims in batch]


CHUNK_CHARS = 20_000
# Below this much text (about five 800-word articles), starting parser processes costs more than it
# saves: ten such articles parse in ~1.6 s on two processes against ~1.9-2.7 s on one.
PARALLEL_FROM_CHARS = 30_000


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Cut a text into pieces of at most `limit` characters at paragraph, then sentence, then word
    boundaries: the parser's memory grows with the piece, and spaCy refuses texts over a million
    characters (a 2 MB file of one line is still an article)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        while len(paragraph) > limit:
            cut = max(paragraph.rfind(". ", 0, limit), paragraph.rfind("? ", 0, limit), paragraph.rfind("! ", 0, limit))
            if cut <= 0:
                cut = paragraph.rfind(" ", 0, limit)
            cut = cut + 1 if cut > 0 else limit
            out.append(paragraph[:cut])
            paragraph = paragraph[cut:]
        if out and len(out[-1]) + len(paragraph) + 1 <= limit:
            out[-1] += "\n" + paragraph
        else:
            out.append(paragraph)
    return [piece for piece in out if piece.strip()] or [text[:limit]]


def _article_claims(article: Article, docs: Iterable, aliases: Aliases, pieces: int = 1) -> Iterator[Claim]:
    state = _ArticleState()
    for doc in docs:
        sentences = list(doc.sents)
        # A one-sentence article is a headline or a claim on its own: keep it even without a finite verb.
        state.single = pieces == 1 and len(sentences) == 1
        yield from _sentence_claims(article, sentences, aliases, state)


def _entities_by_sentence(sentences) -> list[list]:
    """Each sentence's entities, from one walk of the document's: Span.ents rebuilds every entity of
    the document on each call, which made extraction quadratic in the article's length."""
    if not sentences:
        return []
    out: list[list] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    for ent in sentences[0].doc.ents:
        at = bisect.bisect_right(starts, ent.start) - 1
        if at >= 0 and ent.end <= sentences[at].end:
            out[at].append(ent)
    return out


def _sentence_claims(article: Article, sentences, aliases: Aliases, state: _ArticleState) -> Iterator[Claim]:
    for n, (sent, sent_ents) in enumerate(zip(sentences, _entities_by_sentence(sentences), strict=True)):
        state.sentence_speaker = ""
        state.coming_speaker = _speaker_after_quote(sentences, n, state)
        for span, shares_speaker in _clauses(sent):
            if not shares_speaker:
                state.sentence_speaker = ""
            ents = [e for e in sent_ents if e.start >= span.start and e.end <= span.end]
            claim = _claim(article, span, aliases, state, len(state.claims), ents)
            if claim is not None:
                state.claims.append(claim)
                state.last_claim = claim
                yield claim


# How many sentences on a quote may run before the words that attribute it.
QUOTE_LOOKAHEAD = 3


def _speaker_after_quote(sentences, n: int, state: _ArticleState) -> str:
    """Who says a quote that opens in sentence n and closes in a later one: '"I did it in July. I did
    everything by the book," Doe told reporters.' The first sentence has no attribution of its own."""
    text = sentences[n].text.lstrip()
    if not text or text[0] not in QUOTES or sum(text.count(q) for q in QUOTES) % 2 == 0:
        return ""
    for sent in sentences[n + 1:n + 1 + QUOTE_LOOKAHEAD]:
        marks = [t for t in sent if t.text in QUOTES]
        if not marks:
            continue  # the quote goes on
        found = _speaker_after_mark(sent, marks[0].i, state)
        return found[0] if found else ""
    return ""


def _speaker_after_mark(span, mark: int, state: _ArticleState) -> tuple[str, list, object] | None:
    """(speaker, their tokens, the reporting verb) of '..., " Doe told reporters': the subject of a
    reporting verb after the closing quote mark at token `mark`, or the name right before that verb when
    the parse has not made it the subject."""
    for verb in span:
        if verb.i <= mark or verb.lemma_ not in REPORTING_VERBS or verb.pos_ != "VERB":
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i > mark), None)
        if subject is not None:
            if subject.lower_ in {"he", "she"}:
                return (state.last_person, [subject], verb) if state.last_person else None
            phrase = list(subject.subtree)
            name = "" if subject.lower_ in PRONOUNS else _speaker_name(phrase)
            return (name, phrase, verb) if name else None
        between = [t for t in span if mark < t.i < verb.i]
        if between and any(t.pos_ == "PROPN" for t in between) and all(
                t.pos_ in {"PROPN", "NOUN", "ADJ", "DET", "PUNCT"} for t in between):
            name = _speaker_name(between)
            return (name, between, verb) if name else None
        return None
    return None


def _clauses(sent) -> list[tuple]:
    """Split a sentence into the clauses that make separate claims, each with whether it shares the
    speaker of the clause before: "Although X says A, B" gives the reported A and the narrator's B;
    "A, the officials said, and B" gives A and B, both the officials'."""
    root = sent.root
    doc = sent.doc
    for child in root.children:
        if child.dep_ != "advcl" or child.lemma_ not in REPORTING_VERBS:
            continue
        if not any(t.lower_ in CONCESSIVE for t in child.children):
            continue
        sub = doc[child.left_edge.i:child.right_edge.i + 1]
        if sub.start > sent.start:
            continue
        rest_start = sub.end
        while rest_start < sent.end and doc[rest_start].is_punct:
            rest_start += 1
        if rest_start >= sent.end - 1:
            continue
        first = doc[sub.start + 1:sub.end] if sub[0].lower_ in CONCESSIVE else sub
        return [(first, False), (doc[rest_start:sent.end], False)]
    for child in root.children:
        if child.dep_ != "conj" or child.pos_ not in {"VERB", "AUX"} or child.i < root.i:
            continue
        if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in child.children):
            continue
        start = child.left_edge.i
        cut = start
        while cut > sent.start and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
            cut -= 1
        if cut - sent.start < 4 or sent.end - start < 4:
            continue
        return [(doc[sent.start:cut], True), (doc[start:sent.end], True)]
    return [(sent, False)]


def _norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _claim(article: Article, span, aliases: Aliases, state: _ArticleState, index: int, ents: list) -> Claim | None:
    text = _norm_space(span.text)
    text = text[:1].upper() + text[1:]
    tokens = [t for t in span if not t.is_space]
    if len(tokens) < 4 or text.endswith("?"):
        return None
    if not state.single and not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return None
    speaker, voice, speaker_tokens, report_verb, content_root = _attribution(span, state, article)
    if voice == "reported":
        state.sentence_speaker = speaker
    negated = _negated(content_root, span)
    hedged = any(t.lower_ in HEDGES for t in span) or bool(HEDGE_PATTERN.search(text))
    refutes = _refutes(span, text, report_verb)
    entities = _entities(ents, aliases, speaker_tokens)
    claim_dates = _dates(span, ents, article.date, content_root, speaker_tokens)
    quantities = _quantities(span, ents, aliases, state, speaker_tokens, claim_dates, article.date)
    if any(qty.inherited for qty in quantities) and all(d.implicit for d in claim_dates):
        # "local officials put the number closer to 3,500": the number is about the same moment too.
        claim_dates = state.last_counted_dates
    lemmas = _lemmas(span, aliases, speaker_tokens)
    # "I" in a quote nobody is named for is not the outlet that prints it.
    first_person = voice == "reported" or not any(q in text for q in QUOTES)
    frames = frames_of(span, ents, speaker_tokens, aliases,
                       _speaker_words(speaker, aliases) if first_person else ((), ()))
    predicate = _predicate(content_root)
    subject = _subject(content_root, aliases)
    # A sentence that denies an event, or says who did what to whom, is a claim even with no name,
    # figure or date in it: "there were no treatment-related deaths", "the props were removed by the crew".
    asserts = any(f.negated or (f.agent and f.patient and not f.modal) or a_change(f) for f in frames)
    if not (quantities or claim_dates or entities or voice == "reported" or refutes or negated or state.single
            or asserts):
        return None
    if len(lemmas) < 2:
        return None
    refers_to = ""
    if refutes and state.last_claim is not None and _anaphoric(span) and not quantities:
        # "the number has been disputed": the disputed thing is what the previous clause said.
        refers_to = state.last_claim.id
        quantities = state.last_claim.quantities
    keys = _keys(quantities, entities, predicate, content_root, lemmas) + frame_keys(frames)
    claim_id = f"{article.id}#{index + 1}"
    return Claim(
        id=claim_id,
        article_id=article.id,
        index=index,
        text=text,
        speaker=speaker,
        voice=voice,
        quantities=quantities,
        dates=claim_dates,
        entities=entities,
        negated=negated,
        hedged=hedged,
        refutes=refutes,
        predicate=predicate,
        subject=subject,
        action=_action(content_root),
        lemmas=lemmas,
        keys=keys,
        source=article.source,
        refers_to=refers_to,
        frames=frames,
    )


# ---------------------------------------------------------------- attribution


def _attribution(span, state: _ArticleState, article: Article):
    """(speaker, voice, speaker tokens, reporting verb, root of the reported content)."""
    root = span.root
    # "according to X"
    for tok in span:
        if tok.lower_ == "according" and tok.i + 1 < span.end and span.doc[tok.i + 1].lower_ == "to":
            objs = [c for c in span.doc[tok.i + 1].children if c.dep_ == "pobj"]
            if objs and _can_speak(objs[0]):
                phrase = list(objs[0].subtree)
                speaker = _speaker_name(phrase)
                if speaker:
                    state.last_speaker = speaker
                    return speaker, "reported", {t.i for t in phrase} | {tok.i, tok.i + 1}, None, root
    # "X said (that) ...", "..., X told reporters", "X put the number at ..."
    candidates = [root] + [t for t in span if t.dep_ in {"parataxis", "ccomp", "conj"} and t.head == root]
    for verb in candidates:
        if verb.lemma_ not in REPORTING_VERBS:
            continue
        if verb.lemma_ == "put" and not any(c.dep_ == "dobj" and c.lemma_ in COUNT_NOUNS for c in verb.children):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects:
            continue
        subject = subjects[0]
        phrase = [t for t in subject.subtree if t.i >= span.start and t.i < span.end]
        content = next((c for c in verb.children if c.dep_ in {"ccomp", "xcomp"}), None)
        if content is None and verb is root:
            content = next((t for t in span if t.dep_ in {"ccomp", "parataxis"} and t.head == verb), None)
        if content is None and verb.lemma_ in {"put", "estimate"}:
            content = verb
        if content is None and verb is not root:
            content = root  # "..., the officials said, and ..." — the root carries the content
        if content is None:
            continue
        if subject.lower_ in PRONOUNS:
            person = state.last_person if subject.lower_ in {"he", "she"} else ""
            speaker = state.quote_speaker or person or state.last_speaker
            if not speaker:
                continue
        else:
            speaker = _speaker_name(phrase)
            if not speaker:
                continue
            state.last_speaker = speaker
        if any(ch in span.text for ch in QUOTES):
            state.quote_speaker = speaker
        return speaker, "reported", {t.i for t in phrase} | {verb.i}, verb, content
    marks = [t.i for t in span if t.text in QUOTES]
    if marks:
        # '... every rule," Doe told reporters': a name the parse did not make the verb's subject.
        found = _speaker_after_mark(span, marks[-1], state)
        if found:
            speaker, phrase, verb = found
            state.last_speaker = state.quote_speaker = speaker
            return speaker, "reported", {t.i for t in phrase} | {verb.i}, verb, root
    _remember_person(span, state)
    # A quote continuing over sentences: '"But we are not ...'. It keeps the last quote's speaker.
    if span.text.lstrip()[:1] in QUOTES and state.coming_speaker:
        return state.coming_speaker, "reported", set(), None, root
    if span.text.lstrip()[:1] in QUOTES and state.quote_speaker:
        return state.quote_speaker, "reported", set(), None, root
    state.quote_speaker = ""
    if state.sentence_speaker:
        return state.sentence_speaker, "reported", set(), None, root
    return article.source, "own", set(), None, root


def _can_speak(token) -> bool:
    """'according to defence officials' names a speaker; 'according to a precise timetable' does not."""
    if token.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return True
    return lemma_of(token) in SPEAKER_NOUNS or lemma_of(token) in PEOPLE_NOUNS


def _remember_person(span, state: _ArticleState) -> None:
    """A named person who is the subject of a sentence is who a later 'he' or 'she' most likely is."""
    for tok in span:
        if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head == span.root:
            names = [t for t in tok.subtree if t.ent_type_ == "PERSON"]
            if names:
                state.last_person = _speaker_name([t for t in tok.subtree if t.dep_ not in {"relcl"} and not any(
                    a.dep_ == "relcl" for a in t.ancestors if a.i in {x.i for x in tok.subtree})])
            return


def _speaker_words(speaker: str, aliases: Aliases) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, names) of a speaker, for the "I" and "we" of what they say: the last name first, as a
    participant's head comes first ("Kessel MP Jane Doe" -> doe, kessel, mp, jane)."""
    # A possessor is someone else: "Doe's lawyer" is not Doe.
    words = [w for w in re.findall(r"[A-Z][\w'’.-]*", speaker.split(",")[0]) if not re.search(r"['’]s$", w)]
    names = [aliases(w) for w in words if len(w) > 1]
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        return (), ()
    return (names[-1], *names[:-1]), tuple(names)


def _speaker_name(tokens) -> str:
    words = [t for t in tokens if not t.is_punct or t.text in {"'s", "’s", "-", "."}]
    while words and (words[0].pos_ in {"DET", "PRON", "NUM"}) and words[0].lower_ not in {"he", "she", "they"}:
        words = words[1:]
    # Keep the name before a relative clause: "officials who spoke on condition of anonymity".
    for i, t in enumerate(words):
        if t.dep_ in {"relcl", "acl"} or t.lower_ in {"who", "which", "that"}:
            words = words[:i]
            break
    if any(t.pos_ == "PROPN" for t in words):
        while words and words[0].pos_ not in {"PROPN", "NOUN"} and words[0].ent_type_ == "":
            words = words[1:]
        words = [t for i, t in enumerate(words) if not (i and t.pos_ == "NUM")]  # "Jane Doe, 31": an age
    while words and words[-1].lower_ in GENERIC_SPEAKER_TAILS and len(words) > 1:
        words = words[:-1]
    text = "".join(t.text_with_ws for t in words).strip(" ,")
    text = re.sub(r"\s+", " ", text)
    if not text or text.lower() in PRONOUNS or len(text) > 80:
        return ""
    return text[0].upper() + text[1:]


# ---------------------------------------------------------------- polarity


def _negated(content_root, span) -> bool:
    """True when the main predicate of the (reported) content is negated, not a word in a side clause."""
    heads = {content_root.i} | {c.i for c in content_root.children if c.dep_ in {"aux", "auxpass"}}
    for tok in span:
        if tok.dep_ == "neg" and tok.head.i in heads:
            return True
        if tok.lower_ in NEGATORS and tok.dep_ in {"det", "nsubj", "nsubjpass", "dobj", "advmod", "preconj"}:
            anchor = tok.head if tok.dep_ in {"det", "preconj", "advmod"} and tok.head.pos_ != "VERB" else tok
            target = anchor.head if anchor is not tok or tok.dep_ != "advmod" else tok.head
            if tok.dep_ in {"nsubj", "nsubjpass", "dobj"}:
                target = tok.head
            nxt = span.doc[tok.i + 1] if tok.i + 1 < len(span.doc) else None
            if nxt is not None and nxt.lower_ in {"less", "more", "other", "longer"}:
                continue  # "nothing less than" and "no longer" are not plain negation
            if target.i == content_root.i and anchor.dep_ in {"nsubj", "nsubjpass", "dobj", "det", "neg"} | {
                "advmod"
            }:
                return True
    return False


def _refutes(span, text: str, report_verb) -> bool:
    lowered = text.lower()
    if report_verb is not None and report_verb.lemma_ in {"deny", "dispute", "refute", "reject", "debunk"}:
        return True
    if any(p in lowered for p in REFUTATION_PHRASES):
        return True
    for tok in span:
        if tok.lemma_.lower() in REFUTATION_LEMMAS and tok.pos_ in {"ADJ", "NOUN"}:
            return True
        if tok.lemma_.lower() in REFUTATION_LEMMAS and tok.pos_ == "VERB" and _refutes_something_said(tok):
            return True
        if tok.lemma_ in {"confirm", "verify", "prove"} and (
            any(c.dep_ == "neg" for c in tok.children)
            or any(c.lower_ in {"nobody", "no", "none"} for c in tok.children)
            or any(c.lower_ in {"impossible", "unable"} for c in tok.head.children) or tok.head.lower_ in {
                "impossible", "unable"}
        ):
            return True
    return False


# What a refutation verb refutes when it refutes something said: "denied the report", "disputed the
# figure", "dismissed the claims". "Was dismissed from his job" and "was denied bail" refute nothing.
SAID_NOUNS = {"report", "claim", "allegation", "story", "account", "figure", "number", "estimate", "rumour",
              "rumor", "suggestion", "assertion", "statement", "charge", "accusation", "version", "count",
              "toll", "finding", "reporting", "speculation", "idea", "notion", "theory", "it", "this", "that"}


def _refutes_something_said(verb) -> bool:
    """A refutation verb with a clause ("denied that ..."), no object ("he denied"), or an object that is
    something said ("disputed the figure")."""
    children = list(verb.children)
    if any(c.dep_ in {"ccomp", "xcomp"} for c in children):
        return True
    objects = [c for c in children if c.dep_ in {"dobj", "nsubjpass"}]
    if not objects:
        return not any(c.dep_ == "prep" for c in children)
    return any(lemma_of(o) in SAID_NOUNS or o.lower_ in SAID_NOUNS for o in objects)


def _anaphoric(span) -> bool:
    subjects = [t for t in span if t.dep_ in {"nsubj", "nsubjpass"}]
    return any(t.lemma_.lower() in ANAPHORA for t in subjects)


# ---------------------------------------------------------------- content


def _entities(ents: list, aliases: Aliases, skip: set[int]) -> tuple[str, ...]:
    found = []
    for ent in ents:
        if ent.label_ not in ENTITY_LABELS or any(t.i in skip for t in ent):
            continue
        name = aliases(ent.text)
        if name and name not in found:
            found.append(name)
    return tuple(found)


def _lemmas(span, aliases: Aliases, skip: set[int]) -> tuple[str, ...]:
    out = []
    for tok in span:
        if tok.i in skip or tok.is_punct or tok.is_space or tok.like_num:
            continue
        if tok.pos_ not in {"NOUN", "PROPN", "VERB", "ADJ", "ADV"}:
            continue
        lemma = aliases(tok.text) if tok.ent_type_ in {"GPE", "NORP", "ORG"} else lemma_of(tok)
        lemma = ROLE_SYNONYMS.get(lemma, lemma)
        if lemma in STOP_LEMMAS or tok.lemma_ in REPORTING_VERBS or len(lemma) < 2:
            continue
        if lemma not in out:
            out.append(lemma)
    return tuple(out)


def _predicate(content_root) -> str:
    if content_root.lemma_ in {"be", "have"}:
        for child in content_root.children:
            if child.dep_ in {"acomp", "attr", "dobj"} and child.pos_ in {"ADJ", "NOUN", "VERB"}:
                return child.lemma_.lower()
    return content_root.lemma_.lower()


def _action(root) -> str:
    words = [root] + [c for c in root.children if c.dep_ in {"prt", "neg"} or (c.dep_ == "auxpass")]
    objects = [c for c in root.children if c.dep_ in {"dobj", "acomp"}]
    tokens = sorted(words, key=lambda t: t.i)
    text = " ".join(t.text for t in tokens)
    if objects:
        obj = list(objects[0].subtree)
        if len(obj) <= 4:
            text += " " + " ".join(t.text for t in obj)
    return text


def _subject(content_root, aliases: Aliases) -> str:
    """The actor of the main predicate, normalised like a counted thing: "united states | troop".
    For "keep/retain/withdraw X" the object is what stays or goes."""
    deps = ("dobj", "nsubj", "nsubjpass") if content_root.lemma_ in TRANSITIVE_MOVES else ("nsubj", "nsubjpass")
    for dep in deps:
        for child in content_root.children:
            if child.dep_ == dep and child.pos_ in {"NOUN", "PROPN"}:
                actors, roles = _compound_phrase(child, aliases)
                lemma = lemma_of(child)
                if child.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"}:
                    return aliases(" ".join(t.text for t in child.subtree if t.ent_type_)) + " | actor"
                lemma = ROLE_SYNONYMS.get(lemma, lemma)
                return _counted_key(actors, roles, lemma)
    return ""


def _keys(quantities, entities, predicate, content_root, lemmas) -> tuple[str, ...]:
    keys = [f"q:{qty.head}" for qty in quantities if qty.head]
    keys += [f"m:{key}" for qty in quantities for key in measure_keys(qty.measure)]
    # Content-word stems block too; a stem shared by too many claims is dropped by align.MAX_BUCKET.
    keys += [f"t:{lemma[:6]}" for lemma in lemmas if len(lemma) > 3]
    keys += [f"e:{e}" for e in entities]
    if predicate:
        objects = [c.lemma_.lower() for c in content_root.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"}]
        keys += [f"p:{predicate}|{o}" for o in objects if o not in PRONOUNS]
    return tuple(dict.fromkeys(keys))


_DAY_IN_TIME = re.compile(r"\b(?:" + "|".join([*datemod.WEEKDAYS, *(m.lower() for m in calendar.month_name if m)])
                          + r")\b", re.I)


def _dates(span, ents: list, base: dt.date | None, content_root, skip: set[int]) -> tuple[DateMention, ...]:
    future = any(t.lower_ in {"will", "shall"} or t.tag_ == "MD" and t.lower_ == "would" for t in span)
    out: list[DateMention] = []
    for ent in ents:
        if ent.label_ != "DATE" and not (ent.label_ == "TIME" and _DAY_IN_TIME.search(ent.text)
                                         and not re.search(r"\d[:.]\d", ent.text)):
            continue  # "on Monday afternoon" gives a day; "at 15:40" only an hour
        head = ent.root.head
        if head.i in skip or (head.dep_ == "prep" and head.head.i in skip):
            continue  # "X said on Monday": the day of the saying, not of the event
        resolved = datemod.resolve(ent.text, base, future=future)
        if resolved is None:
            continue
        before = span.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        relation = before if before in {"on", "in", "by", "after", "before", "since", "until", "from"} else ""
        out.append(DateMention(text=ent.text, start=resolved[0], end=resolved[1], relation=relation))
    if not out and base is not None and _present_tense(content_root, span):
        # "There are currently 2,500 troops": a present-tense figure is about the article's own date.
        # A month either side: articles written days apart still speak of the same present.
        out.append(DateMention(text="", start=base - dt.timedelta(days=PRESENT_WINDOW_DAYS),
                               end=base + dt.timedelta(days=PRESENT_WINDOW_DAYS), relation="now", implicit=True))
    return tuple(out)


def _present_tense(root, span) -> bool:
    if any(t.lower_ in {"currently", "now", "today", "presently"} for t in span):
        return True
    verbs = [root] + [c for c in root.children if c.dep_ in {"aux", "auxpass"}]
    return any(v.tag_ in {"VBZ", "VBP"} for v in verbs) and not any(
        v.lower_ in {"will", "would", "has", "have"} for v in verbs
    )


# ---------------------------------------------------------------- quantities


def _quantities(span, ents: list, aliases: Aliases, state: _ArticleState, skip: set[int],
                claim_dates: tuple[DateMention, ...], as_of: dt.date | None = None) -> tuple[Quantity, ...]:
    out = []
    for ent in ents:
        if ent.label_ not in QUANTITY_LABELS or any(t.i in skip for t in ent):
            continue
        if any(re.search(r"[a-z]-?\d|\d-[a-z]", t.lower_) for t in ent):
            continue  # "COVID-19", "F-16": names with digits
        marker, rest = q.split_marker(ent.text)
        if not marker:
            before = span.doc[max(span.start, ent.start - 3):ent.start].text
            marker = q.marker_before(before)
        value = q.parse_value(rest)
        if value is None:
            continue
        if _converted(span, ent, ents):
            continue  # "$US1 million ($1.52 million)": the same figure in another currency or unit
        last = ent[-1]
        if ent.label_ == "CARDINAL" and 1900 <= value <= 2100 and "," not in ent.text and not marker:
            continue  # a year spaCy did not tag as a date
        if value <= 2 and ent.label_ == "CARDINAL" and last.dep_ == "nummod" and not marker and not \
                measure_class(lemma_of(last.head)):
            continue  # "one official", "two leaders": determiners, not figures; "two deaths" is a toll
        following = span.doc[ent.end] if ent.end < len(span.doc) else None
        scale = ""
        if following is not None and following.lower_ in q.SCALES and len(following.text) <= 2 \
                and ent[-1].idx + len(ent[-1].text) == following.idx:
            value *= q.SCALES[following.lower_]  # "$2.4m": the scale written onto the figure
            scale = following.text
        # A currency sign spaCy left outside the entity ("$" + "2.4m") still says what the unit is.
        start = ent.start - 1 if ent.start > 0 and span.doc[ent.start - 1].text in q.CURRENCIES else ent.start
        unit, factor = q.unit_of(span.doc[start:min(ent.end + 3, len(span.doc))].text, ent.label_)
        counted, scope, inherited, head = _counted(span, ents, ent, aliases, state)
        occasions = _occasions(span, ent, head)
        if occasions or _a_total(span, ent, head):
            unit += " in all"  # "31 magazines in five operations", "so far", "combined": a sum, not one part
        if _a_position(ent):
            continue  # "15 miles north of the city", "five buildings away": where something is, not how much
        if _partitive(ent):
            counted = ""  # "four of them in intensive care": a part of a count given beside it
        if head is not None and (_describes(head) or _held_by_place(head, ents) or (
                unit == "count" and _named_before(head, ent))):
            counted = ""  # "a city of some 110,000 people": what the city is, not a count of the event
        if unit == "percent" and _a_change(ent):
            unit = "percent change"  # "revenue rose 6.8 percent" says nothing of a level of 31%
        if _a_rate(span, ent, head) or (ent.start > 0 and span.doc[ent.start - 1].lower_ in {"every", "per", "each"}):
            unit += " a period"  # "1,000 cases a year" is a rate, not a count of this outbreak
        physical = unit in q.PHYSICAL_UNITS
        measure = (state.last_counted.measure if inherited and state.last_counted else
                   measure_of(last, head, physical) if counted or physical else "")
        label = _label(span, ent)
        if label is not None:
            # "Confirmed deaths: 6" in a list of key figures: the label says what is counted.
            head = label[0]
            counted = _counted_key([], [], lemma_of(head))
            measure = next((measure_class(lemma_of(t)) for t in label if measure_class(lemma_of(t))),
                           f"{lemma_of(head)}|")
            inherited = False
        if physical and not counted and measure:
            counted = measure.split("|", 1)[0] or measure  # "61.8 tonnes" of what the clause is about
        low, high = q.bounds(value * factor, marker)
        denied = _denied_bound(ent, marker, low * 1.0, high * 1.0, value * factor)
        if denied is False:
            continue  # a denied figure without a bound ("did not kill 14") says nothing of the count
        if denied is not None:
            low, high = denied
        # As written: "$2.4m", not the "2.4" spaCy's entity holds.
        sign = span.doc[start].text if start < ent.start else ""
        text = (marker + " " if marker and not ent.text.lower().startswith(marker) else "") + sign + ent.text + scale
        following = span.doc[ent.end] if ent.end < len(span.doc) else None
        if unit != "count" and following is not None and following.lower_ in q.UNITS:
            text += " " + following.text  # "More than 300" -> "More than 300 millimetres"
        quantity = Quantity(
            value=value * factor,
            low=low,
            high=high,
            unit=unit,
            counted=counted,
            text=text,
            scope=scope + occasions,
            inherited=inherited,
            display=_noun_phrase(head, ent) if head is not None else (
                state.last_counted.display if inherited and state.last_counted else ""),
            measure=measure,
            as_of=as_of.isoformat() if as_of else "",
            setting=_setting(head, last, ents) if unit == "percent" else (),
        )
        out.append(quantity)
        if counted and not inherited:
            state.last_counted = quantity
            state.last_counted_dates = claim_dates
    out += _durations(span, ents, skip, as_of)
    return _parts_unmeasured(out)


def _durations(span, ents: list, skip: set[int], as_of: dt.date | None = None) -> list[Quantity]:
    """How long something lasted or took: "the exchange of fire lasted about 40 minutes", "after eight
    months of talks". Its measure is the event it is the length of (the verb it modifies and that
    verb's subject, or the noun it is "of")."""
    out = []
    for ent in ents:
        if ent.label_ not in {"TIME", "DATE"} or any(t.i in skip for t in ent):
            continue
        marker, rest = q.split_marker(ent.text)
        if not marker:
            marker = q.marker_before(span.doc[max(span.start, ent.start - 3):ent.start].text)
        parsed = q.duration_of(rest, marked=bool(marker))
        if parsed is None:
            continue
        seconds, _number = parsed
        root = ent.root
        of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((o for o in of.children if o.dep_ == "pobj"), None) if of is not None else None
        measure = f"{lemma_of(noun)}|" if noun is not None else measure_of(root, None, physical=True)
        thing, _, event = measure.partition("|")
        if not measure or REPORTING_VERBS & {thing, event} or event in {"take", "be", "have", "spend", "need"}:
            continue  # "it took about three hours to knock the fire down": how long what took is unsaid
        low, high = q.bounds(seconds, marker)
        text = (marker + " " if marker and not ent.text.lower().startswith(marker) else "") + ent.text
        out.append(Quantity(value=seconds, low=low, high=high, unit="s", counted=measure.split("|", 1)[0] or measure,
                            text=text, measure=measure, display="", as_of=as_of.isoformat() if as_of else ""))
    return out


PERIODS = {"year", "month", "week", "day"}


def _a_rate(span, ent, head) -> bool:
    """"1,000 cases a year", "per day", "annually", said of this figure's noun or verb: a rate."""
    nouns = [ent.root.head] + ([head] if head is not None else [])
    anchors = {ent.root.i} | {t.i for n in nouns for t in (n, n.head)}
    anchors |= {t.i for n in nouns for t in n.subtree if t.pos_ in {"NOUN", "PROPN"}
                and t.lemma_.lower() not in PERIODS}
    for tok in span:
        if tok.head.i not in anchors or tok.i in anchors:
            continue
        if tok.lower_ in {"annually", "yearly"}:
            return True
        if tok.lemma_.lower() in PERIODS and any(c.lower_ in {"a", "per", "each", "every"} for c in tok.children):
            return True
        if tok.lower_ == "per" and any(c.lemma_.lower() in PERIODS for c in tok.children):
            return True
    return False
# "a crowd of 40,000", "a total of 196": nouns whose "of N things" is the count itself.
GROUP_NOUNS = {"crowd", "group", "team", "batch", "wave", "convoy", "contingent", "force", "delegation"}


POSITION_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                  "away", "from", "outside", "off", "inland", "offshore", "upstream", "downstream", "beyond"}


def _a_position(ent) -> bool:
    """A distance that places something ("about 15 miles north of the city", "three houses from the
    scene", "five buildings away") rather than measuring an event."""
    doc = ent.doc
    after = [t.lower_ for t in doc[ent.end:min(len(doc), ent.end + 3)]]
    return any(w in POSITION_WORDS for w in after[:3]) and any(
        t.lower_ in q.UNITS or t.lemma_.lower() in {"building", "house", "door", "block", "street", "metre", "mile"}
        for t in doc[ent.start:min(len(doc), ent.end + 2)])


def _partitive(ent) -> bool:
    """"four of them", "two of the victims": a part of a set already counted."""
    root = ent.root
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and (obj.pos_ == "PRON" or any(
                        d.dep_ == "det" and d.lower_ in {"the", "these", "those", "them"} for d in obj.children)):
                    return True
    return False


def _named_before(head, ent) -> bool:
    """"The three boats had 26 crew", "each of the 114 detainees": a count after "the" points back to
    things already counted; the sentence is about them, not a count of its own. ("The $4.2 million
    grant" still says what the grant was worth.)"""
    det = next((c for c in head.children if c.dep_ == "det" and c.i < ent.start), None)
    return det is not None and det.lower_ in {"the", "these", "those"}


def _converted(span, ent, ents: list) -> bool:
    """Is the figure in brackets right after another figure: a conversion ("$1 million ($1.52 million)")
    or a breakdown of it ("6 (5 found at the site, 1 died later)")?"""
    doc = span.doc
    i = ent.start - 1
    while i >= span.start and i > ent.start - 16 and doc[i].text not in {"(", ")"}:
        i -= 1
    if i < span.start or doc[i].text != "(":
        return False
    return any(e.label_ in QUANTITY_LABELS and e.end <= i and i - e.end <= 2 for e in ents)


def _describes(head) -> bool:
    """Is the counted noun the "of" object of another noun that it describes: "a city of 110,000 people",
    "a fleet of 40 ships"? Count nouns and group nouns are the count itself ("a total of", "a crowd of")."""
    if head.dep_ in {"compound", "amod"} and head.head.pos_ == "NOUN":
        return True  # "a 100-RBI season", "a 30-homer season": the number says what kind of season
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ != "of" or prep.head.pos_ != "NOUN":
        return False
    owner = lemma_of(prep.head)
    return owner not in COUNT_NOUNS and owner not in GROUP_NOUNS and owner not in q.UNITS


# "A total of 210 millimetres fell" is one occasion's amount; these words sum occasions.
EXCEED_VERBS = {"exceed", "top", "surpass", "pass", "reach", "go"}


def _denied_bound(ent, marker: str, low: float, high: float, value: float):
    """A figure under a negated verb: "never exceeded 40,000" is at most 40,000; "never hit fewer than
    26" is at least 26. None when the figure's verb is not negated, False when it is and no bound can
    be read."""
    verb = ent.root.head
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    if not any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in verb.children):
        return None
    if lemma_of(verb) in EXCEED_VERBS and not marker:
        return 0.0, value
    if high == value and low < value:  # "fewer than 26", denied: at least 26
        return value, float("inf")
    if low == value and high > value:  # "more than 300", denied: at most 300
        return 0.0, value
    return False


TOTAL_WORDS = {"altogether", "combined", "cumulative", "aggregate"}


def _a_total(span, ent, head) -> bool:
    """Is the figure a sum over occasions ("in a combined 157 games", "so far ... 31", "in all")? Such a
    figure is not one occasion's count."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(span.start, ent.start - 4):ent.start]]
    if any(w in TOTAL_WORDS for w in before):
        return True
    if head is not None and any(c.lower_ in TOTAL_WORDS for c in head.children):
        return True
    lowered = span.text.lower()
    return any(phrase in lowered for phrase in ("so far", "thus far", " in all", "to date", "in total"))


OCCASION_PREPOSITIONS = {"in", "during", "over", "across", "from", "throughout"}


def _occasions(span, ent, head) -> tuple[str, ...]:
    """The occasions a figure sums over: "31 magazines ... during the five operations", "13 homers in 54
    games". Two sums over different occasions, or a sum and one occasion's count, are not one figure."""
    # The figure's noun and everything up to its verb: "seized a total of 14 rifles, 31 magazines and
    # 923 rounds ... during the five operations".
    anchors = {ent.root.i}
    for tok in [head if head is not None else ent.root, *(head if head is not None else ent.root).ancestors]:
        anchors.add(tok.i)
        if tok.pos_ in {"VERB", "AUX"}:
            break
    for tok in span:
        if tok.dep_ != "pobj" or tok.tag_ not in {"NNS", "NNPS"} or tok.head.lower_ not in OCCASION_PREPOSITIONS:
            continue
        if tok.head.head.i not in anchors or ent.start <= tok.i < ent.end or (head is not None and tok.i == head.i):
            continue
        count = next((c for c in tok.children if c.dep_ == "nummod"), None)
        if count is not None and (q.parse_value(count.text) or 0) > 1:
            return (f"{count.text.lower()} {lemma_of(tok)}",)
    return ()


def _held_by_place(head, ents: list) -> bool:
    """"Switzerland has only around 40 large wind turbines": what a country or region has is a fact
    about the place, background to an event, not a count made in it."""
    verb = head.head
    if head.dep_ != "dobj" or verb.lemma_ not in {"have", "own", "operate", "count", "boast"}:
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and any(e.label_ in {"GPE", "LOC"} and e.start <= subject.i < e.end for e in ents)


def _a_change(ent) -> bool:
    """"rose 6.8 percent", "rose by 1.2 percent", "were down 3.1 percent", "up 4 percent": a change."""
    node = ent.root
    head = node.head
    if node.dep_ == "pobj" and head.lower_ == "by":
        head = head.head
    if is_change(head.lemma_.lower()) and node.dep_ in {"npadvmod", "dobj", "pobj", "advmod", "attr"}:
        return True
    doc = ent.doc
    near = [doc[i].lower_ for i in (ent.start - 1, ent.end) if 0 <= i < len(doc)]
    return any(w in {"up", "down", "higher", "lower"} for w in near)


def _parts_unmeasured(quantities: list[Quantity]) -> tuple[Quantity, ...]:
    """Two figures of one measure in one clause are parts or alternatives ("one side released 52
    detainees and the other 62", "four and three wounded on each side"), not the measure's value:
    neither is compared as the whole."""
    parts = {i for i, x in enumerate(quantities) for j, y in enumerate(quantities)
             if i != j and x.measure and x.unit == y.unit and same_measure(x.measure, y.measure)}
    return tuple(replace(x, measure="") if i in parts else x for i, x in enumerate(quantities))


def _compound_phrase(head, aliases: Aliases) -> tuple[list[str], list[str]]:
    """(nationality/actor modifiers, other modifiers) of a noun, normalised."""
    actors, roles = [], []
    for child in head.children:
        if child.dep_ not in {"compound", "amod", "nmod"} or child.like_num:
            continue
        if child.ent_type_ in {"GPE", "NORP", "ORG"} or child.pos_ == "PROPN":
            # "Swedish citizens", "Acme shares": whose they are, even where the recognizer missed the name.
            same_kind = [t for t in child.subtree if t.ent_type_ == child.ent_type_] if child.ent_type_ else [child]
            actors.append(aliases(" ".join(t.text for t in same_kind)))
        elif child.pos_ in {"NOUN", "ADJ", "PROPN"} and child.lemma_.lower() not in QUANTIFIER_WORDS:
            roles.append(child.lemma_.lower())
    for prep in head.children:
        # "citizens of the Republic of Ruritania": whose they are, after the noun.
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.ent_type_ in {"GPE", "NORP"}:
                    actors.append(aliases(" ".join(t.text for t in obj.subtree if t.ent_type_ == obj.ent_type_)))
    return actors, roles


def _counted(span, ents: list, ent, aliases: Aliases, state: _ArticleState):
    """(normalised thing a number counts ("united states | troop"), its scope, whether it was taken
    from an earlier sentence, the head noun token or None)."""
    last = ent[-1]
    head = None
    if last.dep_ in {"nummod", "quantmod", "amod", "compound"} and last.head.pos_ in {"NOUN", "PROPN"}:
        head = last.head
        if head.lemma_.lower() in {"percent", "%", "dollar", "mm", "km"} or head.i < ent.end and head.i >= ent.start:
            head = _of_object(head) or (head if head.i >= ent.end else None)
    elif last.dep_ in {"pobj", "dobj", "attr", "nsubj", "appos"} and ent.label_ in {"PERCENT", "MONEY",
                                                                                      "QUANTITY"}:
        head = _of_object(last)
        owner = last.head.head if last.dep_ == "pobj" and last.head.lower_ == "of" else None
        if head is None and owner is not None and owner.pos_ == "NOUN" and owner.lemma_.lower() not in COUNT_NOUNS \
                and not is_aggregate(owner.lemma_.lower()):
            head = owner  # "net profit of NT$16.8 billion", "a fine of 100,000 lei": what the sum is
    if head is None and ent.label_ in {"PERCENT", "MONEY", "QUANTITY"}:
        head = _of_object(last) or _of_object(last.head)
    if head is not None and head.pos_ == "PROPN" and head.dep_ in {"compound", "amod"} and head.head.pos_ == "NOUN" \
            and head.head.i > head.i:
        head = head.head  # "Three Ruritanian nationals": the number counts the nationals, not "Ruritanian"
    if head is not None and head.lower_ in q.SCALES and head.head.pos_ in {"NOUN", "PROPN"} and head.head.i > head.i:
        head = head.head  # "$2.4m grant": "m" is the figure's scale, the grant is counted
    if head is not None and (head.lemma_.lower() in q.UNITS or head.lemma_.lower() in q.CURRENCIES):
        head = _of_object(head) or _verb_subject(head)
    if head is None and ent.label_ in {"PERCENT", "MONEY", "QUANTITY"}:
        head = _verb_subject(last)
    if head is not None and head.lemma_.lower() in COUNT_NOUNS:
        head = _of_object(head)
    if head is None or head.lemma_.lower() in COUNT_NOUNS:
        if ent.label_ == "CARDINAL" and state.last_counted is not None and _refers_back(span):
            prev = state.last_counted
            return prev.counted, prev.scope, True, None
        return "", _scope(ents, None, aliases), False, None
    actors, roles = _compound_phrase(head, aliases)
    lemma = lemma_of(head)
    lemma = ROLE_SYNONYMS.get(lemma, lemma)
    if lemma in DEATH_WORDS:
        lemma, roles = "person", [*roles, "dead"]
    else:
        if lemma in PEOPLE_NOUNS:
            lemma = "person"
        # "3 soldiers went missing" and "a dozen soldiers trained there" count different sets.
        event = _event_class(head)
        if event:
            roles.append(event)
    return _counted_key(actors, roles, lemma), _scope(ents, head, aliases), False, head


# What ends the label of a figure in a list ("- Confirmed deaths: 6 - People rescued: 20").
LABEL_BREAKS = {"-", "–", "—", "•", "*", "(", ")", ";", ",", ":"}


def _label(span, ent):
    """The words of "Label: figure", a figure given after a colon in a list, with its first noun first;
    None when the figure does not follow a short label of that kind."""
    doc = span.doc
    colon = ent.start - 1
    if colon <= span.start or doc[colon].text != ":":
        return None
    start = colon
    while start > span.start and doc[start - 1].text not in LABEL_BREAKS and colon - start < 6:
        start -= 1
    words = [t for t in doc[start:colon] if not t.is_space]
    if not words or (start > span.start and doc[start - 1].text not in LABEL_BREAKS) or (
            start == span.start and len(words) > 4):
        return None
    nouns = [t for t in words if t.pos_ in {"NOUN", "PROPN"}]
    if not nouns or any(t.ent_type_ in {"PERSON", "ORG", "GPE"} for t in words):
        return None  # "Reuters: 14", "Smith: 3": a source or a name, not what is counted
    return [nouns[0], *(t for t in words if t is not nouns[0])]


def _counted_key(actors: list[str], roles: list[str], noun: str) -> str:
    """The one string form of a counted thing: 'united states | combat troop' (see align.split_counted)."""
    return ", ".join(sorted(set(actors))) + " | " + " ".join(sorted(set(roles)) + [noun])


def _of_object(token):
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "in"}:
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.pos_ in {"NOUN", "PROPN"}:
                    return obj
    return None


def _verb_subject(token):
    """'Insured losses could reach $1.2 billion' -> losses: the subject of the verb that governs a figure."""
    node = token
    for _ in range(4):
        if node.pos_ in {"VERB", "AUX"}:
            break
        node = node.head
    else:
        return None
    for child in node.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child.pos_ == "NOUN" and child.lemma_.lower() not in COUNT_NOUNS:
            return child
    return None


def _refers_back(span) -> bool:
    return any(t.lemma_.lower() in COUNT_NOUNS for t in span)


def _event_class(head) -> str:
    verb = head.head
    candidates = [verb] + list(verb.children) + list(head.children)
    for tok in candidates:
        cls = EVENT_CLASSES.get(tok.lemma_.lower())
        if cls:
            return cls
    return ""


SCOPE_PREPOSITIONS = {"in", "at", "across", "throughout", "inside", "within"}


def _scope(ents: list, head, aliases: Aliases) -> tuple[str, ...]:
    """The places a figure is given for: those the counted noun or its verb is placed in ("people in
    Westfield", "killed in Westfield"). Other places the sentence names say nothing about the figure."""
    if head is None:
        return ()
    anchors = {head.i, head.head.i}
    places = []
    verb = head.head
    if verb.pos_ == "VERB" and verb.lemma_ not in REPORTING_VERBS and head.dep_ in {"dobj", "attr"}:
        # "The Hawks offered $160 million", "the Eagles offered $200 million": whose figure it is.
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        for ent in ents:
            if subject is not None and ent.label_ in {"ORG", "PERSON", "GPE", "NORP"} and \
                    ent.start <= subject.i < ent.end:
                places.append(aliases(ent.text))
    for ent in ents:
        if ent.label_ not in {"GPE", "LOC", "FAC"}:
            continue
        prep = ent.root.head
        if ent.root.dep_ == "pobj" and prep.lower_ in SCOPE_PREPOSITIONS and prep.head.i in anchors:
            places.append(aliases(ent.text))
    return tuple(dict.fromkeys(places))


# Nouns of a stretch of time: "in the morning", "in the past week" say when, not which part.
TIME_WORDS = TIME_NOUNS | {"week", "month", "year", "quarter", "period", "season", "time", "past", "future"}


def _setting(head, number, ents: list) -> tuple[str, ...]:
    """The part of a whole a share is given for, in common nouns: "teachers in state schools",
    "in the private sector, participation was below 10 percent". Names are the scope's business; a time
    ("in the morning") is not a part."""
    anchor = head if head is not None else number
    holders = [anchor, *(o for p in anchor.children if p.dep_ == "prep" and p.lower_ == "of"
                         for o in p.children if o.dep_ == "pobj")]
    node = anchor
    for _ in range(3):
        node = node.head
        holders.append(node)
        if node.pos_ in {"VERB", "AUX"}:
            break
    named = {t.i for e in ents for t in e}
    queue = list(holders)
    while queue:
        holder = queue.pop(0)
        if measure_class(lemma_of(holder)):
            # "participation in today's strike", "turnout in the vote": the event measured, not a part;
            # "participation in the strike in state schools": the part is the event's.
            more = [o for o in _in_objects(holder) if o not in holders]
            holders += more
            queue += more
            continue
        for obj in _in_objects(holder):
            modifiers = [c for c in obj.children if c.dep_ in {"det", "amod", "compound", "poss"}]
            if obj.pos_ != "NOUN" or obj.i in named or lemma_of(obj) in TIME_WORDS or not modifiers:
                continue  # "in favour", "in hospital", "in cash": idioms, not a part of a whole
            return (lemma_of(obj), *sorted({lemma_of(c) for c in modifiers
                                            if c.dep_ in {"amod", "compound"} and c.i not in named}))
    return ()


def _in_objects(token) -> list:
    """The nouns of "in" phrases on a token: "in the private sector", "in today's strike"."""
    return [o for p in token.children if p.dep_ == "prep" and p.lower_ == "in" for o in p.children
            if o.dep_ == "pobj"]


def _noun_phrase(head, ent) -> str:
    """The counted thing as written: 'U.S. troops', 'doses of the vaccine', 'Insured losses'."""
    doc = head.doc
    mods = [t for t in head.lefts if t.dep_ in {"compound", "amod", "nmod"} and not (ent.start <= t.i < ent.end)]
    first = min([head.i] + [t.left_edge.i for t in mods])
    first = max(first, ent.end) if first < ent.end <= head.i else first
    text = doc[first:head.i + 1].text
    of = _of_object(head)
    if of is not None and of.i > head.i and of.i - head.i <= 5:
        text += " " + doc[head.i + 1:of.i + 1].text
    return text
