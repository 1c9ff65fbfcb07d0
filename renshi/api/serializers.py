"""Plain dicts for units, establishment lines and people; optionally keyed by item codes."""

from renshi.personnel.infoset import ESTABLISHMENT_B02, PERSON_A01, UNIT_B01

UNIT_FIELDS = [
    "id",
    "name",
    "short_name",
    "credit_code",
    "division",
    "affiliation",
    "level",
    "unit_type",
    "funding_form",
    "parent_id",
    "depth",
    "is_active",
]
COUNTERS = ["approved", "occupied", "reserved", "vacant", "over", "vacant_or_over"]
PERSON_FIELDS = [
    "id",
    "name",
    "name_pinyin",
    "name_initials",
    "sex",
    "birth_date",
    "ethnicity",
    "native_place",
    "birthplace",
    "political_status",
    "party_join_date",
    "work_start_date",
    "health",
    "marital_status",
    "identity",
    "status",
    "status_date",
    "unit_id",
    "category",
    "current_post",
    "current_post_level",
    "current_rank",
    "current_title",
    "title_level",
    "education",
    "degree",
]
# Sub-record sets by their information-set code (A02 职务 … A36 家庭成员).
RECORD_SETS = {
    "posts": "A02",
    "ranks": "A05",
    "titles": "A06",
    "educations": "A08",
    "degrees": "A09",
    "rewards": "A14",
    "appraisals": "A15",
    "entries": "A29",
    "exits": "A30",
    "family": "A36",
}
# Establishment rows name their unit with the B01 item code for the unit name.
ESTABLISHMENT_ROW = {**ESTABLISHMENT_B02, "B01001": "unit_name"}


def keyed(data: dict, infoset: dict[str, str]) -> dict:
    """Rename fields that have an information-set item code; others keep their English name."""
    code_of = {field: code for code, field in infoset.items()}
    return {code_of.get(key, key): value for key, value in data.items()}


def counters(approved: int, occupied: int, reserved: int) -> dict:
    return {
        "approved": approved,
        "occupied": occupied,
        "reserved": reserved,
        "vacant": max(approved - occupied, 0),
        "over": max(occupied - approved, 0),
        "vacant_or_over": approved - occupied,
    }


def unit_data(unit) -> dict:
    data = {f: getattr(unit, f) for f in UNIT_FIELDS}
    data["parent_name"] = unit.parent.name if unit.parent_id else ""
    return data


def line_data(line) -> dict:
    return {
        "category": line.category,
        **counters(line.approved, line.occupied, line.reserved),
        "document_number": line.document_number,
        "document_date": line.document_date,
    }


def person_data(person, revealed: dict | None = None) -> dict:
    """A01 fields with masked numbers unless `revealed` holds the full ones for this person."""
    data = {f: getattr(person, f) for f in PERSON_FIELDS}
    data["unit_name"] = person.unit.name
    data["unit_credit_code"] = person.unit.credit_code
    numbers = revealed or {"id_number": person.masked_id, "phone": person.phone_masked}
    data.update(numbers)
    return data


def record_data(record, exclude=("person",)) -> dict:
    data = {}
    for field in record._meta.concrete_fields:
        if field.name not in exclude:
            data[field.attname if field.is_relation else field.name] = getattr(
                record, field.attname
            )
    return data


def person_keyed(data: dict, codes: bool) -> dict:
    return keyed(data, PERSON_A01) if codes else data


def unit_keyed(data: dict, codes: bool) -> dict:
    if not codes:
        return data
    out = keyed(data, UNIT_B01)
    if "totals" in out:
        out["totals"] = keyed(out["totals"], ESTABLISHMENT_B02)
    if "establishment" in out:
        out["establishment"] = [keyed(line, ESTABLISHMENT_B02) for line in out["establishment"]]
    return out
