"""Days without working time: a country's public holidays and a calendar's own company days.

Public holidays come from the `holidays` package, for a country and optionally one of its
subdivisions (a state, a region), so no one types them in and no year runs out. They are
worked out a year at a time, when a date in that year is first asked about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from types import MappingProxyType

import holidays
from holidays.registry import COUNTRIES

LANGUAGE = "en_US"


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str, year: int) -> Mapping[date, str]:
    """The public holidays that fall in one year, by date, named in English where the package can."""
    # A holiday of one year may be observed in the next or the one before (1 January on 31 December).
    place = holidays.country_holidays(
        country, subdiv=subdivision or None, years=range(year - 1, year + 2), language=_language(country)
    )
    return MappingProxyType({day: name for day, name in sorted(place.items()) if day.year == year})


@cache
def _language(country: str) -> str | None:
    return LANGUAGE if LANGUAGE in holidays.country_holidays(country).supported_languages else None


@dataclass(frozen=True)
class DaysOff:
    """The dates a calendar does not work: `day in days_off`."""

    country: str = ""
    subdivision: str = ""
    company_days: frozenset[date] = frozenset()

    def __contains__(self, day: object) -> bool:
        if day in self.company_days:
            return True
        if not self.country or not isinstance(day, date):
            return False
        return day in public_holidays(self.country, self.subdivision, day.year)


@cache
def countries() -> dict[str, str]:
    """Country code to English name, for every country the package knows, by name."""
    names = {}
    for class_name, code, *_aliases in COUNTRIES.values():
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
        names[code] = spaced.replace(" And ", " and ").replace(" Of ", " of ").replace(" The ", " the ")
    return dict(sorted(names.items(), key=lambda item: item[1]))


@cache
def subdivisions(country: str) -> dict[str, str]:
    """A country's subdivision codes and their names (the code alone where it has none)."""
    codes = holidays.list_supported_countries(include_aliases=False).get(country, [])
    place = type(holidays.country_holidays(country))
    named: dict[str, str] = {}
    for alias, code in (getattr(place, "subdivisions_aliases", None) or {}).items():
        # Several aliases may name one code (GP, GUA, Guadeloupe): the longest is the name.
        if len(alias) > len(named.get(code, "")):
            named[code] = alias
    return {code: named.get(code, code) for code in codes}


def place_error(country: str, subdivision: str) -> str | None:
    """What is wrong with a country and subdivision, in words that say what to choose instead."""
    if not country:
        return "Choose a country for the subdivision, or leave both blank." if subdivision else None
    if country not in countries():
        return f"“{country}” is not a country code the desk knows holidays for, such as FR or DE."
    known = subdivisions(country)
    if subdivision and subdivision not in known:
        name = countries()[country]
        if not known:
            return f"{name} has no subdivisions with holidays of their own: leave the subdivision blank."
        return f"“{subdivision}” is not a subdivision of {name}; choose one of {', '.join(known)}."
    return None
