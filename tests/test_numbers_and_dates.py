"""Numbers and dates, the pure parts: values, bounds, units, date ranges."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from claimdiff import quantities as q
from claimdiff.dates import resolve


@pytest.mark.parametrize("text,value", [
    ("2,500", 2500), ("2.5 million", 2.5e6), ("one million", 1e6), ("twenty-five hundred", 2500),
    ("two thousand", 2000), ("$5.2 million", 5.2e6), ("fourteen", 14), ("nine", 9), ("1,200,000", 1.2e6),
    ("40 percent", 40), ("a dozen", 12), ("$1.2 billion", 1.2e9),
])
def test_values(text, value):
    assert q.parse_value(text) == pytest.approx(value)


@pytest.mark.parametrize("text,marker", [
    ("about 2,000", "about"), ("some 2,100", "some"), ("at least 14", "at least"), ("more than 300", "more than"),
    ("2,500", ""),
])
def test_markers(text, marker):
    assert q.split_marker(text)[0] == marker


def test_approximations_agree_and_bounds_conflict():
    about = q.bounds(2000, "about")
    some = q.bounds(2100, "some")
    assert not q.intervals_conflict(about, some, exact=False)
    assert q.bounds(14, "at least") == (14, math.inf)
    assert q.intervals_conflict(q.bounds(9, ""), q.bounds(14, "at least"))
    assert not q.intervals_conflict(q.bounds(14, ""), q.bounds(14, "at least"))
    assert q.intervals_conflict(q.bounds(210, ""), q.bounds(300, "more than"))
    assert not q.intervals_conflict(q.bounds(2500, ""), q.bounds(2490, ""))  # rounding
    assert q.intervals_conflict(q.bounds(2500, ""), q.bounds(3500, "closer to"), exact=False)


@pytest.mark.parametrize("text,unit,factor", [
    ("150 km/h", "km/h", 1.0), ("93 mph", "km/h", 1.609344), ("2.4 metres", "m", 1.0), ("8 feet", "m", 0.3048),
    ("210 millimetres", "mm", 1.0), ("40 percent", "percent", 1.0), ("$40 million", "usd", 1.0),
    ("€3 million", "eur", 1.0), ("300 troops", "count", 1.0),
])
def test_units(text, unit, factor):
    label = "MONEY" if text[0] in "$€" else "QUANTITY"
    assert q.unit_of(text, label) == (unit, pytest.approx(factor))


BASE = dt.date(2021, 7, 27)  # a Tuesday


@pytest.mark.parametrize("text,start,end", [
    ("Monday", "2021-07-26", "2021-07-26"),
    ("Monday, July 26, 2021", "2021-07-26", "2021-07-26"),
    ("26 July 2021", "2021-07-26", "2021-07-26"),
    ("July 26", "2021-07-26", "2021-07-26"),
    ("January 2020", "2020-01-01", "2020-01-31"),
    ("2017", "2017-01-01", "2017-12-31"),
    ("this year", "2021-01-01", "2021-12-31"),
    ("yesterday", "2021-07-26", "2021-07-26"),
])
def test_dates(text, start, end):
    assert resolve(text, BASE) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_future_weekday_and_parts_of_periods():
    assert resolve("Friday", BASE, future=True) == (dt.date(2021, 7, 30),) * 2
    # "last Friday" is past even in a sentence about what will happen ("said it would apply for a licence").
    assert resolve("last Friday", BASE, future=True) == (dt.date(2021, 7, 23),) * 2
    lo, hi = resolve("the end of 2021", BASE)
    assert hi == dt.date(2021, 12, 31) and lo.year == 2021 and lo.month >= 8
    lo, hi = resolve("early 2020", BASE)
    assert lo == dt.date(2020, 1, 1) and hi.month <= 5


@pytest.mark.parametrize("text", ["18 years", "45-year-old", "two decades", "three days"])
def test_durations_are_not_dates(text):
    assert resolve(text, BASE) is None


def test_a_run_can_only_have_grown_by_the_time_between_the_articles():
    from claimdiff.contradict import updated
    from claimdiff.model import Quantity

    def run(days: float, as_of: str) -> Quantity:
        return Quantity(value=days * 86_400, low=days * 86_400, high=days * 86_400, unit="s", counted="riot",
                        text=f"{days} days", measure="riot|", as_of=as_of)

    assert updated(run(4, "2024-05-10"), run(8, "2024-05-14"))  # four days of riots, four days later eight
    assert not updated(run(240, "2024-05-10"), run(365, "2024-05-11"))  # eight months, a day later a year
