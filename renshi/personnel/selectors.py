"""Reads with visibility rules: who sees which units and people. Outsiders get 404."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from renshi.core import roles
from renshi.core.roles import Role
from renshi.personnel.models import Person, Unit, UserScope


def scope_unit(user) -> Unit | None:
    """The unit a clerk is bound to (cached on the user object for the request)."""
    if not hasattr(user, "_renshi_scope_unit"):
        scope = UserScope.objects.select_related("unit").filter(user=user).first()
        user._renshi_scope_unit = scope.unit if scope else None
    return user._renshi_scope_unit


def reads_all(user) -> bool:
    return roles.has_role(user, roles.READ_ALL_PERSONNEL)


def can_read_personnel(user) -> bool:
    if reads_all(user):
        return True
    return roles.has_role(user, {Role.UNIT_CLERK}) and scope_unit(user) is not None


def visible_units(user) -> QuerySet[Unit]:
    if reads_all(user):
        return Unit.objects.all()
    if roles.has_role(user, {Role.UNIT_CLERK}) and (unit := scope_unit(user)):
        return Unit.objects.filter(path__startswith=unit.path)
    return Unit.objects.none()


def visible_people(user) -> QuerySet[Person]:
    if reads_all(user):
        return Person.objects.all()
    if roles.has_role(user, {Role.UNIT_CLERK}) and (unit := scope_unit(user)):
        return Person.objects.filter(unit__path__startswith=unit.path)
    return Person.objects.none()


def get_unit_for(user, pk) -> Unit:
    try:
        return visible_units(user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None


def get_person_for(user, pk) -> Person:
    try:
        return visible_people(user).select_related("unit").get(pk=pk)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def can_edit_person(user, person) -> bool:
    if not roles.has_role(user, roles.EDIT_PEOPLE):
        return False
    if user.role == Role.UNIT_CLERK:
        unit = scope_unit(user)
        return bool(unit and person.unit.path.startswith(unit.path))
    return True


def can_edit_establishment(user) -> bool:
    return roles.has_role(user, roles.EDIT_ESTABLISHMENT)


def can_reveal(user, person) -> bool:
    return roles.has_role(user, roles.REVEAL_PERSONAL_DATA) and (
        user.role != Role.UNIT_CLERK or can_edit_person(user, person)
    )


AGE_BANDS = {
    "u30": (None, 30),
    "30-39": (30, 40),
    "40-49": (40, 50),
    "50-54": (50, 55),
    "55+": (55, None),
}


def birth_range(band: str):
    """Birth-date bounds for people whose age today falls in the band."""
    low, high = AGE_BANDS[band]
    today = timezone.localdate()
    filters = Q()
    if low is not None:  # age >= low  ⇔  born on or before today − low years
        filters &= Q(birth_date__lte=_years_ago(today, low))
    if high is not None:  # age < high  ⇔  born after today − high years
        filters &= Q(birth_date__gt=_years_ago(today, high))
    return filters


def _years_ago(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def search_people(user, params) -> QuerySet[Person]:
    """Filter by name / pinyin / initials / exact ID number, unit subtree, status, education, …"""
    from renshi.core.crypto import blind_index
    from renshi.core.idnumbers import normalize

    people = visible_people(user).select_related("unit")
    q = (params.get("q") or "").strip()
    if q:
        compact = normalize(q)
        if len(compact) == 18 and compact[:17].isdigit():
            people = people.filter(id_number_hash=blind_index(compact))
        elif q.isascii():
            key = q.lower().replace(" ", "")
            people = people.filter(_prefix("name_initials", key) | _prefix("name_pinyin", key))
        else:
            # A name or a given name that starts with the text: both are index ranges. Only when
            # neither matches do we pay for a substring scan (a character from the middle).
            by_prefix = people.filter(_prefix("name", q) | _prefix("given_name", q))
            people = by_prefix if by_prefix.exists() else people.filter(name__contains=q)
    if unit_id := params.get("unit"):
        unit = get_unit_for(user, unit_id)
        if params.get("subunits", "1") == "1":
            # Ids, not a join on the path: the planner then walks the (unit_id) index.
            subtree = Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True)
            people = people.filter(unit_id__in=list(subtree))
        else:
            people = people.filter(unit=unit)
    if status := params.get("status"):
        people = people.filter(status=status)
    if education := params.get("education"):
        # A level (x0) covers its children: "20" finds 21, 22, 23, 28.
        if education.endswith("0"):
            people = people.filter(_prefix("education", education[0]))
        else:
            people = people.filter(education=education)
    if title_level := params.get("title_level"):
        people = people.filter(title_level=title_level)
    if category := params.get("category"):
        people = people.filter(category=category)
    if (band := params.get("age")) in AGE_BANDS:
        people = people.filter(birth_range(band))
    if q:
        # A name search reads its few matches off the prefix indexes; by id they need only a
        # top-N sort, where the list order made PostgreSQL walk the whole (unit_id, id) index
        # filtering for a sparse prefix (js: 65 → 22 ms at 1,000,000).
        return people.order_by("id")
    # By unit id, not unit path: the (unit_id) index yields rows in this order and LIMIT stops
    # early, where a path order sorts every match (115 ms for 25,000 of 40,000 on SQLite).
    return people.order_by("unit_id", "id")


def _prefix(field: str, key: str) -> Q:
    """`field` starts with `key` as a range, which a B-tree index serves on every backend.

    `__startswith` becomes LIKE, which SQLite matches case-insensitively and so by a full scan.
    """
    return Q(**{f"{field}__gte": key, f"{field}__lt": key[:-1] + chr(ord(key[-1]) + 1)})
