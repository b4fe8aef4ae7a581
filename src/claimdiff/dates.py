"""Date expressions -> date ranges, resolved against the article's own date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from .model import Claim

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_FAR_PAST, _FAR_FUTURE = dt.date.min, dt.date.max

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|21\d\d)\b")
_DAY = re.compile(r"\b([12]?\d|3[01])(?:st|nd|rd|th)?\b")
_DURATION = re.compile(
    r"\b(years?|months?|weeks?|days?|hours?|decades?|centuries|century)\b(?!\s+ago)|year-old|years-old", re.I
)
# Parts of a period: "early 2020" is its first third, "the end of 2021" its last quarter.
_PART = [
    (re.compile(r"\b(early|beginning of|start of|first half of)\b", re.I), (0.0, 0.34)),
    (re.compile(r"\b(mid|middle of|mid-)\b", re.I), (0.33, 0.67)),
    (re.compile(r"\b(late|end of|second half of|close of)\b", re.I), (0.66, 1.0)),
]


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _part(start: dt.date, end: dt.date, text: str) -> tuple[dt.date, dt.date]:
    for pattern, (a, b) in _PART:
        if pattern.search(text):
            span = (end - start).days
            return start + dt.timedelta(days=round(span * a)), start + dt.timedelta(days=round(span * b))
    return start, end


@lru_cache(maxsize=4096)
def resolve(text: str, base: dt.date | None, future: bool = False) -> tuple[dt.date, dt.date] | None:
    """'Monday, July 26, 2021' -> (2021-07-26, 2021-07-26); 'January 2020' -> the month; 'late 2017' ->
    its last third; a bare weekday -> the one before `base` (after it when `future`). None when the
    expression is a duration or an age, or cannot be placed in time."""
    lowered = text.lower().strip()
    if _DURATION.search(lowered) and not re.search(r"\b(this|last|next|that) (year|month|week)\b", lowered):
        return None
    words = re.findall(r"[a-z]+", lowered)
    year_match = _YEAR.search(lowered)
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    year = int(year_match.group(1)) if year_match else None
    if month:
        without_year = _YEAR.sub(" ", lowered)
        day_match = _DAY.search(without_year)
        if year is None and base is not None:
            year = base.year
        if year is None:
            return None
        if day_match:
            day = int(day_match.group(1))
            try:
                point = dt.date(year, month, day)
            except ValueError:
                return None
            return point, point
        return _part(*_month_range(year, month), lowered)
    if year is not None:
        return _part(dt.date(year, 1, 1), dt.date(year, 12, 31), lowered)
    if base is None:
        return None
    weekday = next((WEEKDAYS.index(w) for w in words if w in WEEKDAYS), None)
    if weekday is not None:
        delta = (weekday - base.weekday()) % 7
        if (future and "last" not in words) or "next" in words:  # "last Saturday" is past, whatever the tense
            point = base + dt.timedelta(days=delta or 7)
        else:
            point = base - dt.timedelta(days=(base.weekday() - weekday) % 7)
            if "last" in words and point == base:
                point -= dt.timedelta(days=7)
        return point, point
    if "ago" in words:
        import dateparser

        parsed = dateparser.parse(text, languages=["en"], settings={"RELATIVE_BASE": dt.datetime(
            base.year, base.month, base.day)})
        return (parsed.date(), parsed.date()) if parsed else None
    if "today" in words or "tonight" in words:
        return base, base
    if "yesterday" in words:
        day = base - dt.timedelta(days=1)
        return day, day
    if "tomorrow" in words:
        day = base + dt.timedelta(days=1)
        return day, day
    for unit in ("year", "month", "week"):
        if unit in words:
            shift = -1 if "last" in words else 1 if "next" in words else 0 if "this" in words else None
            if shift is None:
                return None
            if unit == "year":
                return _part(dt.date(base.year + shift, 1, 1), dt.date(base.year + shift, 12, 31), lowered)
            if unit == "month":
                m = base.month - 1 + shift
                return _month_range(base.year + m // 12, m % 12 + 1)
            monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=shift)
            return monday, monday + dt.timedelta(days=6)
    return None


def time_range(claim: Claim) -> tuple[dt.date, dt.date] | None:
    """When a claim holds, from its dates and their prepositions; None when it does not say."""
    if not claim.dates:
        return None
    start, end = _FAR_FUTURE, _FAR_PAST
    for d in claim.dates:
        lo, hi = d.start, d.end
        if d.relation == "after":
            lo, hi = d.end + dt.timedelta(days=1), _FAR_FUTURE
        elif d.relation in {"before", "until"}:
            lo, hi = _FAR_PAST, d.start - dt.timedelta(days=1)
        elif d.relation == "by":
            lo = _FAR_PAST
        elif d.relation in {"since", "from"}:
            hi = _FAR_FUTURE
        start, end = min(start, lo), max(end, hi)
    return start, end


def overlaps(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def describe(start: dt.date, end: dt.date) -> str:
    if start == end:
        return start.isoformat()
    if start.day == 1 and end == _month_range(start.year, start.month)[1]:
        return start.strftime("%Y-%m")
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"
