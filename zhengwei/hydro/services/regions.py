"""The administrative divisions stations and warnings refer to, from the shipped boundaries."""

from __future__ import annotations

from django.db import transaction

from zhengwei.hydro.models import Region, RegionLevel
from zhengwei.reports import geo

PROVINCE = ("350000", "福建省")


def regions_ensure() -> dict[str, Region]:
    """Make sure 福建省, its cities and its 84 counties exist (codes and names from the county
    boundary file); return every region by code. Idempotent."""
    existing = {r.adcd: r for r in Region.objects.all()}
    wanted: list[tuple[str, str, str, str | None]] = [(*PROVINCE, RegionLevel.PROVINCE, None)]
    cities: dict[str, str] = {}
    for county in geo.counties():
        city_code = county.code[:4] + "00"
        if county.code == city_code:  # a county-level city coded like its city
            continue
        cities.setdefault(city_code, county.city)
    wanted += [(code, name, RegionLevel.CITY, PROVINCE[0]) for code, name in sorted(cities.items())]
    wanted += [
        (c.code, c.name, RegionLevel.COUNTY, c.code[:4] + "00")
        for c in geo.counties()
        if c.code[:4] + "00" != c.code
    ]
    missing = [w for w in wanted if w[0] not in existing]
    if missing:
        with transaction.atomic():
            for adcd, name, level, parent in missing:
                existing[adcd] = Region.objects.create(
                    adcd=adcd,
                    name=name,
                    level=level,
                    parent=existing.get(parent) if parent else None,
                )
    return existing
