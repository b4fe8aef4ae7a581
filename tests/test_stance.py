"""Story-level disputes: a whole article refuting a one-line claim is flagged, with the cues it rests
on; an article confirming it is not. The model ships inside the package."""

from __future__ import annotations

from claimdiff import Options, analyse_articles
from claimdiff.evaluation import cross_contradictions, pair_articles
from claimdiff.stance import feature_names, features, shipped_model

HEADLINE = "A giant spider was found hiding in a family kitchen in Sydney."
REFUTING = (
    "Photos of a giant spider supposedly found in a Sydney kitchen spread quickly on social media this week. "
    "The story is a hoax. The picture was faked, and the family said it was fake. "
    "Experts said there is no evidence that such a spider exists, and the local council denied the reports."
)
CONFIRMING = (
    "A giant spider was found in a family kitchen in Sydney on Tuesday. "
    "The family photographed the spider before a wildlife officer removed it. "
    "Officials confirmed the spider was a huntsman and said it was released in a park."
)


def flags(body: str, **options) -> list:
    briefing = analyse_articles(pair_articles(HEADLINE, body), Options(**options))
    return cross_contradictions(briefing)


def test_an_article_calling_the_story_a_hoax_disputes_the_headline():
    found = flags(REFUTING)
    assert found, "the hoax article should dispute the headline"
    c = found[0]
    assert c.kind == "dispute"
    assert "headline" in c.explanation and "article disputes it" in c.explanation
    assert "stance model" in c.explanation and "hoax" in c.explanation


def test_an_article_confirming_the_story_is_not_flagged():
    assert not flags(CONFIRMING)


def test_the_story_level_check_can_be_turned_off():
    assert not [c for c in flags(REFUTING, story_disputes=False) if "stance model" in c.explanation]


def test_the_shipped_model_matches_the_features():
    model = shipped_model()
    assert model is not None
    assert list(model.names) == feature_names()
    values = features(HEADLINE, REFUTING.split(". "))
    assert len(values) == len(model.weights)
    assert model.probability(values) > model.probability(features(HEADLINE, CONFIRMING.split(". ")))


def test_a_one_line_claim_never_disputes_a_whole_article():
    # The headline calls the tweet fake; the article agrees. The headline is not weighed as a story.
    briefing = analyse_articles(pair_articles(
        "Fake tweet about the mayor's resignation fools news sites.",
        "A tweet announcing the mayor's resignation was posted on Monday. The mayor has not resigned. "
        "Several news sites repeated the tweet before deleting their stories."), Options())
    assert not [c for c in briefing.contradictions if "stance model" in c.explanation
                and briefing.claim(c.claim_ids[1]).source == "headline"]
