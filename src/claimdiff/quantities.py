"""Numbers in text -> values with bounds. Pure functions over strings, so they are easy to test alone."""

from __future__ import annotations

import math
import re
from functools import lru_cache

INF = math.inf

SCALES = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
CURRENCIES = {
    "$": "usd", "us$": "usd", "dollar": "usd", "dollars": "usd", "usd": "usd",
    # Dollars of other countries, written with a prefix: NT$ is not US$.
    "nt$": "twd", "hk$": "hkd", "s$": "sgd", "a$": "aud", "au$": "aud", "c$": "cad", "ca$": "cad",
    "nz$": "nzd", "r$": "brl", "mx$": "mxn",
    "€": "eur", "euro": "eur", "euros": "eur", "eur": "eur",
    "£": "gbp", "pound": "gbp", "pounds": "gbp", "gbp": "gbp",
    "¥": "jpy", "yen": "jpy",
    # Other currencies by name, so that a franc figure is never read against a euro one.
    "franc": "chf", "francs": "chf", "chf": "chf", "naira": "ngn", "rupee": "inr", "rupees": "inr",
    "peso": "peso", "pesos": "peso", "yuan": "cny", "renminbi": "cny", "rand": "zar", "rouble": "rub",
    "roubles": "rub", "ruble": "rub", "rubles": "rub", "lira": "try", "krona": "sek", "kronor": "sek",
    "krone": "krone", "kroner": "krone", "ringgit": "myr", "baht": "thb", "shilling": "shilling",
    "shillings": "shilling", "dinar": "dinar", "dinars": "dinar", "dirham": "aed", "dirhams": "aed",
    "riyal": "riyal", "riyals": "riyal", "zloty": "pln", "forint": "huf", "leu": "ron", "lei": "ron",
    "hryvnia": "uah", "reais": "brl", "rupiah": "idr", "taka": "bdt",
}
# Units of one dimension share a base so "21 centimetres" and "210 millimetres" compare.
UNITS = {
    "mm": ("mm", 1.0), "millimetre": ("mm", 1.0), "millimetres": ("mm", 1.0), "millimeter": ("mm", 1.0),
    "millimeters": ("mm", 1.0), "cm": ("mm", 10.0), "centimetre": ("mm", 10.0), "centimetres": ("mm", 10.0),
    "centimeter": ("mm", 10.0), "centimeters": ("mm", 10.0), "inch": ("mm", 25.4), "inches": ("mm", 25.4),
    "metre": ("m", 1.0), "metres": ("m", 1.0), "meter": ("m", 1.0), "meters": ("m", 1.0),
    "feet": ("m", 0.3048), "foot": ("m", 0.3048), "ft": ("m", 0.3048),
    "km": ("km", 1.0), "kilometre": ("km", 1.0), "kilometres": ("km", 1.0), "kilometer": ("km", 1.0),
    "kilometers": ("km", 1.0), "mile": ("km", 1.609344), "miles": ("km", 1.609344),
    "km/h": ("km/h", 1.0), "kph": ("km/h", 1.0), "mph": ("km/h", 1.609344),
    "kg": ("kg", 1.0), "kilogram": ("kg", 1.0), "kilograms": ("kg", 1.0), "tonne": ("kg", 1000.0),
    "tonnes": ("kg", 1000.0), "ton": ("kg", 907.18), "tons": ("kg", 907.18),
    "hectare": ("ha", 1.0), "hectares": ("ha", 1.0), "acre": ("ha", 0.404686), "acres": ("ha", 0.404686),
    "percent": ("percent", 1.0), "per cent": ("percent", 1.0), "%": ("percent", 1.0),
    "percentage points": ("percent", 1.0),
}

# Units of a physical dimension (the bases above, and "s" for durations): what such a figure measures
# is read from the thing or the event it is given for, not from the unit's word.
PHYSICAL_UNITS = {"mm", "m", "km", "km/h", "kg", "ha", "s"}

# A length of time, in seconds: "about 40 minutes", "nearly three hours", "eight months".
DURATION_UNITS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0, "week": 604800.0,
                  "month": 2629800.0, "year": 31557600.0}
_DURATION = re.compile(r"^(?P<number>[\w.,\- ]+?)\s+(?P<unit>second|minute|hour|day|week|month|year)s?$", re.I)


def duration_of(text: str, marked: bool = False) -> tuple[float, str] | None:
    """(seconds, number as written) of a duration without its marker, or None: "three hours" ->
    (10800.0, "three"). "a year", "last week" and "the two years" are not durations given as figures."""
    match = _DURATION.match(text.strip())
    if not match:
        return None
    first = match.group("number").lower().split()[0]
    if first in {"the", "last", "next", "this", "that", "every", "each", "per", "several", "few"} or (
            first in {"a", "an"} and not marked):
        return None  # "a year" alone is a rate or a period; "more than a year" is a length
    value = 1.0 if first in {"a", "an"} else parse_value(match.group("number"))
    if value is None:
        return None
    return value * DURATION_UNITS[match.group("unit").lower()], match.group("number")


# Marker -> (low factor, high factor) applied to the value; None means unbounded.
APPROX = {
    "about": (0.9, 1.1), "around": (0.9, 1.1), "approximately": (0.9, 1.1), "roughly": (0.9, 1.1),
    "some": (0.9, 1.1), "an estimated": (0.9, 1.1), "estimated": (0.9, 1.1), "close to": (0.95, 1.0),
    "closer to": (0.95, 1.05), "circa": (0.9, 1.1), "nearly": (0.95, 1.0), "almost": (0.95, 1.0),
    "just under": (0.95, 1.0), "just over": (1.0, 1.05), "more than": (1.0, None), "over": (1.0, None),
    "above": (1.0, None), "at least": (1.0, None), "upwards of": (1.0, None), "in excess of": (1.0, None),
    "fewer than": (None, 1.0), "less than": (None, 1.0), "under": (None, 1.0), "below": (None, 1.0),
    "longer than": (1.0, None), "greater than": (1.0, None), "larger than": (1.0, None),
    "higher than": (1.0, None), "bigger than": (1.0, None), "shorter than": (None, 1.0),
    "smaller than": (None, 1.0), "lower than": (None, 1.0),
    "at most": (0.0, 1.0), "up to": (0.0, 1.0), "as many as": (0.0, 1.0), "no more than": (0.0, 1.0),
}
_MARKER = re.compile(
    r"\b(" + "|".join(sorted((re.escape(m) for m in APPROX), key=len, reverse=True)) + r")\s*$", re.I
)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_WORDS = {
    "a dozen": 12, "dozen": 12, "dozens": 24, "half a million": 5e5, "half a billion": 5e8,
    "a hundred": 100, "a thousand": 1000, "a million": 1e6, "a billion": 1e9,
}
# Rounded figures are what sources give; a difference under this is not a contradiction.
EXACT_TOLERANCE = 0.02


def marker_before(text: str) -> str:
    """The approximation marker that ends `text` ("... closer to") or ""."""
    match = _MARKER.search(text)
    return match.group(1).lower() if match else ""


def split_marker(text: str) -> tuple[str, str]:
    """'about 2,000' -> ('about', '2,000'); markers spaCy puts inside the entity."""
    lowered = text.lower()
    for marker in sorted(APPROX, key=len, reverse=True):
        if lowered.startswith(marker + " "):
            return marker, text[len(marker) + 1:]
    return "", text


@lru_cache(maxsize=4096)
def parse_value(text: str) -> float | None:
    """'2,500' -> 2500; '2.5 million' -> 2.5e6; 'one million' -> 1e6; '$5.2 million' -> 5.2e6."""
    cleaned = text.lower().replace("\u2009", " ").strip()
    cleaned = re.sub(r"[$€£¥%]", " ", cleaned)
    match = _NUMBER.search(cleaned)
    if match:
        value = float(match.group(1).replace(",", "") + ("." + match.group(2) if match.group(2) else ""))
        rest = cleaned[match.end():].strip().lstrip("-")  # "$161-million"
        scale = re.match(r"([a-z]+)", rest)
        if scale and scale.group(1) in SCALES and (len(scale.group(1)) > 1 or rest == scale.group(1)):
            value *= SCALES[scale.group(1)]
        return value
    for phrase, value in _WORDS.items():
        if re.search(rf"\b{phrase}\b", cleaned):
            return float(value)
    from number_parser import parse_number

    words = re.sub(r"[^a-z\- ]", " ", cleaned).strip()
    if not words:
        return None
    try:
        value = parse_number(words)
    except Exception:  # number-parser raises on some odd inputs; treat as no number
        return None
    return float(value) if value is not None else None


def bounds(value: float, marker: str) -> tuple[float, float]:
    low_f, high_f = APPROX.get(marker, (1.0, 1.0))
    low = -INF if low_f is None else value * low_f
    high = INF if high_f is None else value * high_f
    return min(low, high), max(low, high)


def unit_of(text: str, label: str) -> tuple[str, float]:
    """The unit a number is in and the factor to that unit's base: ('mm', 10.0) for centimetres."""
    lowered = text.lower()
    named = _CURRENCY_AFTER.match(lowered)
    if label == "MONEY" or re.search(r"[$€£¥]", lowered) or (named and named.group(1) in CURRENCIES):
        for token, code in _CURRENCY_PATTERNS:
            if token in lowered and code.search(lowered):
                return CURRENCIES[token], 1.0
        return "money", 1.0
    if label == "PERCENT" or "%" in lowered or "percent" in lowered or "per cent" in lowered:
        return "percent", 1.0
    for word, pattern in _UNIT_PATTERNS:
        # The substring test first: the pattern can only match where the word occurs.
        if word in lowered and pattern.search(lowered):
            return UNITS[word]
    return "count", 1.0


# "100,000 lei", "2.5 million rand": a currency named right after a figure spaCy did not call money.
_CURRENCY_AFTER = re.compile(r"\D*[\d.,]+(?:\s*(?:million|billion|m|bn))?\s+([a-z]+)")
# Longest first, so that "NT$" wins over "$"; a prefix or a name stands alone ("nt$", not "cent$").
_CURRENCY_PATTERNS = [(token, re.compile(rf"(?<![a-z]){re.escape(token)}" + (r"\b" if token.isalpha() else "")))
                      for token in sorted(CURRENCIES, key=len, reverse=True)]
# Longest first, so that "square kilometres" wins over "kilometres"; compiled once, not per number.
_UNIT_PATTERNS = [(word, re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])"))
                  for word in sorted(UNITS, key=len, reverse=True)]


def intervals_conflict(a: tuple[float, float], b: tuple[float, float], exact: bool = True) -> bool:
    """True when two value ranges cannot both hold. Exact figures get a small rounding tolerance."""
    (alow, ahigh), (blow, bhigh) = a, b
    tol = EXACT_TOLERANCE if exact else 0.0
    if ahigh < blow:
        return ahigh * (1 + tol) < blow * (1 - tol) if ahigh > 0 else ahigh < blow
    if bhigh < alow:
        return bhigh * (1 + tol) < alow * (1 - tol) if bhigh > 0 else bhigh < alow
    return False
