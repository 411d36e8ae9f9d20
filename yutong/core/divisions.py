"""Load Chongqing's district-level units (core/data/divisions.csv) into OrgUnit."""

import csv
from datetime import date
from pathlib import Path

DIVISIONS_CSV = Path(__file__).resolve().parent / "data" / "divisions.csv"

LEVEL_OF_KIND = {
    "municipality": "city",
    "district": "district",
    "county": "district",
    "autonomous_county": "district",
    "functional_zone": "district",
}


def _day(raw: str):
    return date.fromisoformat(raw) if raw else None


def load_divisions(OrgUnit) -> int:  # noqa: N803 (a historical model in migrations)
    """Create or update the city and its district-level units; returns rows touched."""
    with DIVISIONS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    city_code = next(row["code"] for row in rows if row["kind"] == "municipality")
    units = {}
    for row in rows:
        unit, _ = OrgUnit.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "level": LEVEL_OF_KIND[row["kind"]],
                "valid_from": _day(row["valid_from"]),
                "valid_to": _day(row["valid_to"]),
                "note": row["note"][:200],
            },
        )
        units[row["code"]] = unit
    city = units[city_code]
    for row in rows:
        unit = units[row["code"]]
        unit.parent = None if unit.pk == city.pk else city
        unit.successor = units.get(row["successor"]) if row["successor"] else None
        unit.save(update_fields=["parent", "successor"])
    return len(rows)
