"""Sources are compared event by event (frames.py, eventcheck.py): one source asserts what another
denies, gives the opposite outcome, names another doer, or another day; and what only looks alike
(different deeds, a state and its negated opposite, a figure that describes something else) is left
alone."""

from __future__ import annotations

import pytest

from claimdiff import Options, analyse
from claimdiff.frames import frames_of
from claimdiff.nlp import Aliases, load_pipeline
from conftest import FIXED_TIME


def flags(folder, texts: dict[str, str], date: str = "2024-05-10") -> dict[str, set[frozenset[str]]]:
    """{kind: {the two sources of each flag}}, from articles written into `folder`."""
    for name, text in texts.items():
        # A second sentence: a one-line article is a headline, weighed by the story-level check instead.
        (folder / f"{name}.txt").write_text(f"Source: {name}\nDate: {date}\n\n{text} {SIGN_OFF[name]}\n")
    briefing = analyse([folder], Options(generated_at=FIXED_TIME))
    out: dict[str, set[frozenset[str]]] = {}
    for c in briefing.contradictions:
        out.setdefault(c.kind, set()).add(frozenset(briefing.claim(i).source for i in c.claim_ids))
    return out


BOTH = frozenset({"Gazette", "Bulletin"})
SIGN_OFF = {"Gazette": "The Gazette's correspondent in Alder Bay contributed reporting on Wednesday.",
            "Bulletin": "Staff of the Bulletin in Kessel Falls filed this report for its Thursday edition."}


def frames(text: str):
    doc = load_pipeline()(text)
    return frames_of(doc[:], list(doc.ents), set(), Aliases())


def test_a_passive_names_its_doer_and_what_was_done_to():
    (frame,) = [f for f in frames("The old scaffolding was removed on Monday by the city's own repair crew.")
                if f.predicate == "remove"]
    assert frame.agent[0] == "crew" and frame.patient[0] == "scaffolding" and frame.dates == ("Monday",)
    assert not frame.negated


def test_a_denial_by_a_negative_subject_is_a_negated_event_for_anyone():
    (frame,) = frames("No engineer ever approved the new design.")
    assert frame.predicate == "approve" and frame.negated and frame.anyone


def test_there_were_none_is_a_denied_existence():
    (frame,) = frames("There were no casualties among the crew.")
    assert (frame.predicate, frame.negated, frame.patient[0]) == ("exist", True, "casualty")


def test_a_state_in_a_phrase_is_read_with_its_negation():
    (frame,) = [f for f in frames("No storm warning was in effect when the ferry left.") if f.predicate == "in effect"]
    assert frame.negated and frame.patient[0] == "warning"


def test_a_plan_or_a_wish_is_not_asserted():
    by_predicate = {f.predicate: f for f in frames("The fair was scheduled to end on 12 June, the organisers said.")}
    assert by_predicate["end"].modal


def test_an_event_asserted_by_one_source_and_denied_by_another(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "The harbour inspectors examined the ferry's lifeboats on Tuesday, the port authority said.",
        "Bulletin": "The ferry's lifeboats were never examined, according to the crew union.",
    })
    assert BOTH in found.get("negation", set())


def test_none_against_a_count_is_a_negation(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "There were no deaths among the passengers, the operator said.",
        "Bulletin": "The ferry operator's own report recorded two deaths among the passengers on Tuesday.",
    })
    assert BOTH in found.get("negation", set())


def test_a_reported_denial_denies_the_event_it_reports(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "Harbour inspectors examined the ferry's lifeboats on Tuesday, the port authority said.",
        "Bulletin": "The crew union denied that harbour inspectors examined the ferry's lifeboats on Tuesday.",
    })
    assert BOTH in found.get("negation", set()) | found.get("dispute", set())


def test_opposite_outcomes_of_one_thing_are_a_dispute(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "The coastal highway remained open throughout the storm, the roads agency said.",
        "Bulletin": "Police said the coastal highway was closed throughout the storm by fallen trees.",
    })
    assert BOTH in found.get("dispute", set())


def test_a_state_and_its_negated_opposite_agree(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "The coastal highway remained open throughout the storm, the roads agency said.",
        "Bulletin": "The coastal highway was not closed during the storm, police said.",
    })
    assert not any(BOTH in pairs for pairs in found.values())


def test_one_deed_by_different_doers_is_an_attribution_conflict(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "The warehouse fire was started by a night watchman in the loading bay, investigators said.",
        "Bulletin": "Police believe the warehouse fire was started by a teenage arsonist late on Friday.",
    })
    assert BOTH in found.get("attribution", set())


def test_different_deeds_by_different_doers_say_nothing(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "Volunteers cleared the flooded underpass on Sunday morning.",
        "Bulletin": "The council approved an emergency budget for the district on Sunday.",
    })
    assert not any(BOTH in pairs for pairs in found.values())


def test_one_event_on_two_days_is_a_date_conflict(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "The new pedestrian bridge over the river was opened by the mayor on 3 May.",
        "Bulletin": "The mayor opened the new pedestrian bridge over the river on 7 May in front of a small crowd.",
    })
    assert BOTH in found.get("date", set())


def test_one_event_named_by_a_noun_on_two_days_is_a_date_conflict(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "Forty prisoners were freed in Friday's exchange at the river crossing.",
        "Bulletin": "The exchange, which took place on Saturday at the river crossing, was delayed for hours.",
    })
    assert BOTH in found.get("date", set())


def test_one_verb_on_two_days_in_one_named_place_is_a_date_conflict(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "The trial results were presented today at the neurology congress in Porto by the lead author.",
        "Bulletin": "The full data, presented on Sunday at a medical meeting in Porto, drew sceptical questions.",
    }, date="2022-12-03")
    assert BOTH in found.get("date", set())


def test_another_occurrence_of_an_event_is_not_the_same_event(tmp_path):
    found = flags(tmp_path, {
        "Gazette": "Sunday's vote on the new bypass drew a turnout of 44 percent.",
        "Bulletin": "Turnout was lower than in the previous vote in 2019, the canton said.",
    })
    assert BOTH not in found.get("date", set())


@pytest.mark.parametrize("gazette, bulletin", [
    # what a country has is background, not the project's count
    ("Norway has only around 40 large hydrogen buses on its roads.",
     "The new depot in Tromsdal will house nine hydrogen buses from next spring."),
    # a capacity is not an attendance
    ("The authorised capacity of the Tromsdal arena is 45,000 people, the city said.",
     "The organisers said 40,000 people attended the concert at the Tromsdal arena on Saturday."),
    # households and people are counted in different units
    ("The flood displaced 19 households in the lower town, the relief society said.",
     "The flood displaced 1,600 people across the valley, the regional office said."),
    # whose citizens they are, written after the noun
    ("Four citizens of Norway were wounded in the clash, the ministry said.",
     "Five Swedish citizens were wounded in the clash, the embassy said."),
    # a figure of an earlier event, given with its year
    ("A crush at a stadium in Lyon in 2015 killed 10 people, the report recalled.",
     "Eight people were killed in Saturday's crush at the Tromsdal arena, police said."),
    # a ratio is not a count
    ("Shareholders will receive one new share for every 2.5 old shares they hold.",
     "Shareholders who hold five old shares will be paid in cash, the bank said."),
])
def test_figures_that_only_look_alike_are_not_compared(tmp_path, gazette, bulletin):
    found = flags(tmp_path, {"Gazette": gazette, "Bulletin": bulletin})
    assert BOTH not in found.get("numeric", set())


@pytest.mark.parametrize("bulletin", [
    "Revenue rose 6.8 percent from a year earlier, the company said.",  # a change, not a level
    "The fairground lies outside Port Lenham, a town of some 110,000 people.",  # what the town is
    "The region records more than 1,000 cases of the disease a year.",  # a rate, not this count
])
def test_figures_of_something_else_are_not_compared(tmp_path, bulletin):
    gazette = {
        "Revenue rose 6.8 percent from a year earlier, the company said.":
            "Revenue from chips was 31 percent of the company's sales in the quarter.",
        "The fairground lies outside Port Lenham, a town of some 110,000 people.":
            "About 40,000 people attended the fair at the Port Lenham fairground on Saturday.",
        "The region records more than 1,000 cases of the disease a year.":
            "The outbreak in the region has grown to 41 confirmed cases of the disease.",
    }[bulletin]
    found = flags(tmp_path, {"Gazette": gazette, "Bulletin": bulletin})
    assert BOTH not in found.get("numeric", set())



@pytest.mark.parametrize("gazette, bulletin", [
    ("Police said the lorry weighed close to 68 tonnes when it drove onto the bridge on Monday.",
     "The haulier says the lorry was loaded at the depot and had a gross mass of 61.8 tonnes on Monday."),
    ("The wage agreement was the result of eight months of talks between the two unions and the port.",
     "The wage agreement came after more than a year of negotiations between the unions and the port."),
    ("The blaze in the hills above Kessel Falls has burned more than 9,000 hectares since Sunday.",
     "Firefighters said the blaze in the hills has burned about 10,000 acres of pine forest since Sunday."),
])
def test_one_physical_measure_or_duration_in_other_words_and_units_conflicts(tmp_path, gazette, bulletin):
    found = flags(tmp_path, {"Gazette": gazette, "Bulletin": bulletin})
    assert BOTH in found.get("numeric", set())


# One fact told two ways, in forms the engine must read: each is flagged as the kind given.
FLAGGED = [
    pytest.param("negation",
                 "Councillor Brenna Tolliver did not disclose her shares in the quarry company to the council.",
                 "\"I disclosed my shares to the council in writing last spring. I followed every rule,\" "
                 "Tolliver told reporters outside the town hall.",
                 id="a quote running over sentences belongs to whoever says it after"),
    pytest.param("attribution",
                 "\"Orders for our harbour cranes are running well ahead of what the yard can build,\" "
                 "managing director Osric Vandermeer told shareholders.",
                 "\"Orders for our harbour cranes are running well ahead of what the yard can build,\" "
                 "finance director Imelda Kastrup told shareholders.",
                 id="one quote in the mouths of two people"),
    # Two causes of one outcome, the doers things rather than people.
    pytest.param("attribution",
                 "Investigators said the warehouse blaze was started by a faulty heater in the office.",
                 "The fire brigade believes the warehouse blaze was started by fireworks thrown over the fence.",
                 id="two causes of one outcome"),
    # A by-phrase the parse hangs on the object before it.
    pytest.param("attribution",
                 "Gate 4 of the stadium had been locked with a padlock by the club's own stewards before kick-off.",
                 "Gate 4 of the stadium was locked by the city police shortly before kick-off.",
                 id="a by-phrase hung on the object"),
    # "our own people", said by a named speaker, against a named body.
    pytest.param("attribution",
                 "\"The fallen trees on the pass road were cleared by our own volunteers with chainsaws,\" said "
                 "Marisol Quenby, who chairs the village council.",
                 "Soldiers of the Ruritanian Army cleared the fallen trees on the pass road on Thursday.",
                 id="our own people against a named body"),
    pytest.param("attribution",
                 "The talks began in March when Orvane Shipping's chief executive approached the board of "
                 "Tessaly Freight with an offer.",
                 "The talks were started by Tessaly Freight, whose board approached Orvane Shipping in March "
                 "with an offer.",
                 id="doer and target swapped"),
    pytest.param("numeric",
                 "Harbour Mills posted net profit of 4.1 billion rand for the year to June.",
                 "Net profit at Harbour Mills for the year to June was 5.3 billion rand, the company said.",
                 id="a sum named by its noun whatever verb carries it"),
    pytest.param("numeric",
                 "More than 20,000 people marched through the centre of Kessel Falls, organisers said.",
                 "Police said about 6,000 people took part in the march, which ended peacefully outside the "
                 "town hall.",
                 id="people taking part in an event count its participants"),
    # "it" is the wildfire; a wildfire is a fire; "Tuesday afternoon" gives a day.
    pytest.param("date",
                 "Firefighters said they had contained a wildfire that has burned through the hills above "
                 "Kessel Falls since it broke out on Sunday evening.",
                 "The fire broke out on Tuesday afternoon in a ravine above Kessel Falls, the fire service said.",
                 id="a fire said to break out on two days"),
    # "the magnitude 5.2 aftershock" is one aftershock, the doer of the damage, not 5.2 of them.
    pytest.param("date",
                 "Friday's magnitude 5.2 aftershock brought down several houses in Kessel Falls.",
                 "The damage in Kessel Falls was made worse by the magnitude 5.2 aftershock on 7 May, which "
                 "triggered new landslides.",
                 id="a decimal names its event rather than counting it"),
    pytest.param("negation",
                 "A 2019 inspection report recommended that a weight limit be imposed on the Kessel Falls "
                 "footbridge.",
                 "No inspection has ever recommended a weight limit for the Kessel Falls footbridge, the "
                 "council said.",
                 id="what a that-clause recommends meets a denial of it"),
    pytest.param("negation",
                 "The takeover has received the approval of the Ruritanian Competition Authority, a spokesman "
                 "for Orvane Shipping said.",
                 "The Ruritanian Competition Authority has not granted approval for the takeover of Tessaly "
                 "Freight, two officials said.",
                 id="a transfer told from both ends meets its denial"),
    # One side names Ms Lowry in its sentence, the other quotes her: one story, though only one gives a year.
    pytest.param("numeric",
                 "Regional Development Minister Hana Lowry left the Cabinet on Tuesday over a $2.4 million "
                 "government grant to a seafood company, first raised with officials in November 2023.",
                 "Ruapehu MP Hana Lowry insists she told officials about her family's link to a Kessel Falls "
                 "seafood company, hours after she lost her ministerial job over the $4.2 million grant.",
                 id="a figure from a named speaker the other side names"),
    pytest.param("numeric",
                 "At least 9 people were confirmed dead by Thursday evening after the Kessel Falls collapse.",
                 "Key figures - Confirmed fatalities: 6 (5 recovered at the scene, 1 died in hospital) - "
                 "People rescued: 23 - People still missing: 8",
                 id="a figure labelled in a list of key figures"),
    pytest.param("numeric",
                 "More than 60 percent of teachers in state schools joined the strike, the unions said.",
                 "Participation in today's strike in state schools stood at 18.2 percent, the ministry said.",
                 id="a share of workers joining a strike is its participation"),
    pytest.param("numeric",
                 "By Friday night, more than 6,000 hectares had burned near Kessel Falls, the governor said.",
                 "The fire service said the burned area near Kessel Falls amounts to 2,500 hectares.",
                 id="the burned area is what burned"),
    # "was forced to" asserts what follows; "Vardaki" opens the sentence untagged, yet is no English word.
    pytest.param("attribution",
                 "The Ruritanian border detail was forced to return fire.",
                 "Vardaki border guards returned fire only after the villagers had come under attack, residents "
                 "said.",
                 id="an implicative verb and a name the recognizer missed"),
    # A clearance refused against one issued: "was issued a clearance" gives the clearance, not the vessel.
    pytest.param("dispute",
                 "An official said the harbour office in Kessel Falls had refused clearance for the ferry early "
                 "on Saturday because of the weather.",
                 "The ferry was issued a pre-departure clearance by the harbour office in Kessel Falls at 5:50 "
                 "a.m. after an inspection.",
                 id="a thing refused against the same thing given"),
    pytest.param("dispute",
                 "Before starting work, the contractor carried out a survey. That survey found the footbridge in "
                 "Kessel Falls to be in poor condition, with cracking in the central span.",
                 "The contractor's own survey, submitted to the council in January, rated the footbridge in "
                 "Kessel Falls in fair condition.",
                 id="one grader giving one thing two grades"),
    # "accepted the resignation of X" says X resigned; "after refusing to resign" says X did not.
    pytest.param("negation",
                 "This morning the premier accepted the resignation of Hana Lowry as Minister for Ports.",
                 "Hana Lowry was sacked by the Prime Minister on Tuesday after refusing to resign, according to "
                 "three senior government sources.",
                 id="an accepted resignation against a refusal to resign"),
    # "bring" means first of all to take someone somewhere, a sense far down the list of "take".
    pytest.param("numeric",
                 "Separately, 12 patients were taken to the town's main hospital with burns and cuts since the "
                 "clinic opened, hospital staff said.",
                 "Meanwhile, seven patients have been brought to the Kessel Falls Main Hospital with burns or "
                 "cuts since the clinic opened, according to the hospital's records.",
                 id="the main sense of one verb is a rare sense of the other"),
    pytest.param("dispute",
                 "Turnout in the Kessel Falls referendum was 52.3 percent, up from 47.1 percent in the previous "
                 "vote in 2020.",
                 "Turnout in the Kessel Falls referendum was lower than in the previous vote in 2020, the town "
                 "clerk said.",
                 id="up from a figure against lower than then"),
    pytest.param("dispute",
                 "Year-over-year, Harbour Mills' revenue increased 6.1%, while net income increased 3.9%.",
                 "Harbour Mills reported revenue of about 9 billion rand on Thursday, but its net profit fell "
                 "from a year earlier as costs weighed on margins.",
                 id="a figure that went up and down, in a clause of its own"),
]


@pytest.mark.parametrize("kind, gazette, bulletin", FLAGGED)
def test_one_fact_told_two_ways_is_flagged(tmp_path, kind, gazette, bulletin):
    found = flags(tmp_path, {"Gazette": gazette, "Bulletin": bulletin})
    assert BOTH in found.get(kind, set())


# What only looks like a conflict of the kind given: never flagged as one.
NOT_FLAGGED = [
    pytest.param("attribution",
                 "\"Orders for our harbour cranes are running well ahead of what the yard can build,\" "
                 "managing director Osric Vandermeer told shareholders.",
                 "\"Orders for our harbour cranes are running well ahead of what the yard can build,\" "
                 "the managing director told shareholders.",
                 "2024-05-10", id="one quote from a person and from their title"),
    pytest.param("attribution",
                 "\"Above all we thank the valley's residents for their patience,\" said Hollis Brackett, "
                 "who runs the ferry company.",
                 "\"We also thank the residents of the valley, who waited weeks for the road to reopen,\" "
                 "Dana Ivers of the port authority said on Monday.",
                 "2024-05-10", id="two speakers each saying we did something"),
    pytest.param("numeric",
                 "Harbour Mills reported revenue of NT$92.4 billion for the year to June.",
                 "Harbour Mills reported revenue of about US$2.9 billion for the year to June.",
                 "2024-05-10", id="dollars of different countries"),
    pytest.param("attribution",
                 "The chief executive of Orvane Shipping met the board of Tessaly Freight in Kessel Falls in March.",
                 "The board of Tessaly Freight met Orvane Shipping's chief executive in Kessel Falls in March.",
                 "2024-05-10", id="a meeting seen from either side"),
    pytest.param("date",
                 "Wednesday's earthquake destroyed hundreds of stone houses in the district.",
                 "Friday's aftershock brought down several houses already damaged in the district.",
                 "2024-05-10", id="an aftershock is not the earthquake it follows"),
    # Real news often carries no article date: the year and the other place say it is another event.
    pytest.param("numeric",
                 "An earthquake killed more than 26,000 people in the old city of Varnhold in December 2003.",
                 "The earthquake on Kessel island killed 10 people, the island's governor said.",
                 "", id="a toll of an earlier event elsewhere"),
    pytest.param("negation",
                 "The takeover has received the approval of Orvane Shipping's shareholders, a spokesman said.",
                 "The Ruritanian Competition Authority has not granted approval for the takeover of Tessaly "
                 "Freight, two officials said.",
                 "2024-05-10", id="a transfer from someone else"),
    pytest.param("dispute",
                 "Arlo Fenwick, 32, was climbing to a small hut on Mount Pell on Saturday.",
                 "On Saturday Arlo Fenwick fell about 600 metres while climbing to a small hut on Mount Pell.",
                 "2024-05-10", id="climbing under way is no opposite of falling"),
    pytest.param("dispute",
                 "A 36-year-old climber is dead after falling about 150 metres on Mount Pell.",
                 "The 36-year-old climber, who had been living in Kessel Falls, slipped on Mount Pell, police said.",
                 "2024-05-10", id="living somewhere is no opposite of dead"),
    # Every date the first sentence gives is months before the articles: its tolls are of other crushes.
    pytest.param("numeric",
                 "Crowd disasters at concerts have drawn scrutiny since a crush at a rap concert in 2021 killed 10 "
                 "people and another killed more than 150 in October 2022.",
                 "The civil protection unit says in its morning bulletin that eight people died and 76 were injured.",
                 "2023-03-26", id="tolls of earlier events months before"),
    # Real news often has no date: whether "eight days" is a later count of the same riots is unknown.
    pytest.param("numeric",
                 "Four days of rioting have left dozens of shops in Kessel Falls burned.",
                 "Eight days of rioting in Kessel Falls have cost the town its tourist season.",
                 "", id="an undated run of days"),
    pytest.param("numeric",
                 "Of those, 17 patients are still in hospital in Kessel Falls, three of them in intensive care.",
                 "Arlo Fenwick, 71, is one of three patients in intensive care in Kessel Falls.",
                 "2024-05-10", id="a figure the other side gives as a part of its own"),
    pytest.param("negation",
                 "The Kessel Falls Hawks declined to make an offer during that time, the club said.",
                 "The Kessel Falls Hawks made their offer during the winter meetings in Ostrel, a spokesman said.",
                 "2024-05-10", id="declining to make an offer is no denial of a particular offer"),
    pytest.param("dispute",
                 "The council's engineers rated the footbridge in Kessel Falls in poor condition.",
                 "The contractor's survey rated the footbridge in Kessel Falls in fair condition.",
                 "2024-05-10", id="two graders may grade differently"),
    pytest.param("attribution",
                 "The Ruritanian border detail planned to return fire.",
                 "Vardaki border guards returned fire only after the villagers had come under attack, residents "
                 "said.",
                 "2024-05-10", id="a plan is not a deed"),
    pytest.param("numeric",
                 "In the private sector, participation in the strike was below 5 percent, employers said.",
                 "Participation in today's strike in state schools stood at 18.2 percent, the ministry said.",
                 "2024-05-10", id="shares of two parts of a whole"),
    pytest.param("numeric",
                 "Police sources said the suspect, Arlo Fenwick, had four prior arrests.",
                 "Police said 46 people had been arrested in Kessel Falls by midnight.",
                 "2024-05-10", id="prior arrests are not this night's"),
    pytest.param("dispute",
                 "Sales at Harbour Mills were higher than expected in the year to June.",
                 "Harbour Mills said its sales fell in the year to June.",
                 "2024-05-10", id="better than expected is no rise"),
    pytest.param("dispute",
                 "The death toll in Kessel Falls is now higher than 40, the mayor said.",
                 "The death toll in Kessel Falls fell to 38 after two people counted twice were found alive.",
                 "2024-05-10", id="higher than a number is a bound, not a rise"),
]


@pytest.mark.parametrize("kind, gazette, bulletin, date", NOT_FLAGGED)
def test_what_only_looks_like_a_conflict_is_not_flagged(tmp_path, kind, gazette, bulletin, date):
    found = flags(tmp_path, {"Gazette": gazette, "Bulletin": bulletin}, date=date)
    assert BOTH not in found.get(kind, set())
