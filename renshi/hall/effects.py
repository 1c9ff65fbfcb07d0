"""What a case does to the personnel database (renshi.personnel.services), inside the case step's
transaction: if the personnel side refuses (no free slot, the person left), the step does not
happen either.

An item's `effect` names one of the classes below. Each one:
- `fields` — what the filing form asks for (the unit enters it; it is kept in `Case.form`);
- `clean(form, unit)` — the checked form, or HallError listing every problem;
- `on_accept` (受理), `on_approve` (办结, approved), `on_close` (refused, withdrawn or denied).

The case keeps the form through `sealed(form)`: an ID number is stored masked, its full value
only encrypted (SM4, as on Person), so neither the case nor its audit row holds it in clear.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from renshi.core import crypto, idnumbers
from renshi.hall.errors import HallError
from renshi.hall.models import Effect
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import EstablishmentCategory, PersonStatus, ReservationStatus
from renshi.personnel.services import establishment, events
from renshi.personnel.services.people import find_by_id_number

CATEGORIES = dict(EstablishmentCategory.choices)


def sealed(form: dict) -> dict:
    """The checked form as the case keeps it: `id_number` masked, `id_number_cipher` encrypted."""
    if not form.get("id_number"):
        return dict(form)
    number = form["id_number"]
    return form | {
        "id_number": idnumbers.mask_id(number),
        "id_number_cipher": crypto.encrypt(number),
    }


def id_number_of(form: dict) -> str:
    """The full ID number of a kept form (older forms held it in clear)."""
    cipher = form.get("id_number_cipher")
    return crypto.decrypt(cipher) if cipher else form.get("id_number", "")


def _personnel(fn, **kwargs):
    """Call a personnel service; its refusal becomes the hall's (same Chinese message)."""
    try:
        return fn(**kwargs)
    except PersonnelError as e:
        raise HallError(e.message) from None


class NoEffect:
    fields: list[dict] = []

    def clean(self, form: dict, unit) -> dict:
        return {}

    def on_accept(self, case, actor) -> None:
        pass

    def on_approve(self, case, actor) -> None:
        pass

    def on_close(self, case, actor) -> None:
        pass

    def summary(self, form: dict) -> str:
        return ""


def _id_number(form, errors) -> str:
    try:
        return idnumbers.validate_id_number(form.get("id_number", ""))
    except ValidationError as e:
        errors.append(e.messages[0])
        return ""


def _name(form, errors) -> str:
    name = str(form.get("name", "")).strip()
    if not name:
        errors.append("请填写人员姓名")
    return name


def _category(form, errors) -> str:
    category = form.get("category", "")
    if category not in CATEGORIES:
        errors.append("请选择编制类别")
    return category


NO_SUCH_PERSON = "人员库中没有与该身份证号码和姓名相符的在职人员"


def _person(form):
    """The person the form names; the same message whether the number or the name is wrong,
    so a unit cannot probe the database for other units' people."""
    person = find_by_id_number(form["id_number"])
    if person is None or person.name != form["name"] or person.status != PersonStatus.ACTIVE:
        raise HallError(NO_SUCH_PERSON, field="id_number")
    return person


def _person_at_conclusion(case):
    """The person of an accepted case, for the bureau concluding it: the personnel service says
    why it refuses (e.g. the person retired or left meanwhile)."""
    person = find_by_id_number(id_number_of(case.form))
    if person is None:
        raise HallError(f"人员库中已没有{case.form['name']}的记录，无法办结", field="id_number")
    return person


class Reserving(NoEffect):
    """Holds a slot of the filing unit from acceptance; gives it back when the case ends unused."""

    def on_accept(self, case, actor):
        form = case.form
        case.reservation = _personnel(
            establishment.slot_reserve,
            actor=actor,
            unit=case.unit,
            category=form["category"],
            count=1,
            reason=f"{case.item.name} {case.number}",
            reference=case.number,
        )

    def on_close(self, case, actor):
        reservation = case.reservation
        if reservation is not None and reservation.status == ReservationStatus.OPEN:
            _personnel(
                establishment.reservation_release,
                actor=actor,
                reservation=reservation,
                note=f"办件{case.number}未办成",
            )


class TransferIn(Reserving):
    fields = [
        {"name": "name", "label": "调入人员姓名", "kind": "text"},
        {"name": "id_number", "label": "调入人员身份证号码", "kind": "id_number"},
        {"name": "category", "label": "使用编制类别", "kind": "category"},
        {"name": "post_name", "label": "拟任岗位", "kind": "text", "optional": True},
    ]

    def clean(self, form, unit):
        errors = []
        cleaned = {
            "name": _name(form, errors),
            "id_number": _id_number(form, errors),
            "category": _category(form, errors),
            "post_name": str(form.get("post_name", "")).strip()[:60],
        }
        if errors:
            raise HallError("；".join(errors), errors=errors)
        person = _person(cleaned)
        if person.unit_id == unit.pk:
            raise HallError(f"{person.name}已在本单位，无需办理调入", field="id_number")
        return cleaned

    def on_approve(self, case, actor):
        person = _person_at_conclusion(case)
        _personnel(
            events.person_transfer,
            actor=actor,
            person=person,
            to_unit=case.unit,
            category=case.form["category"],
            date=timezone.localdate(),
            document_number=case.number,
            reservation=case.reservation,
            post_name=case.form.get("post_name", ""),
        )

    def summary(self, form):
        return f"调入 {form.get('name', '')}（{CATEGORIES.get(form.get('category'), '')}）"


class SlotUse(Reserving):
    fields = [
        {"name": "name", "label": "拟入编人员姓名", "kind": "text"},
        {"name": "id_number", "label": "拟入编人员身份证号码", "kind": "id_number"},
        {"name": "category", "label": "使用编制类别", "kind": "category"},
        {"name": "post_name", "label": "拟任岗位", "kind": "text", "optional": True},
    ]

    def clean(self, form, unit):
        errors = []
        cleaned = {
            "name": _name(form, errors),
            "id_number": _id_number(form, errors),
            "category": _category(form, errors),
            "post_name": str(form.get("post_name", "")).strip()[:60],
        }
        if errors:
            raise HallError("；".join(errors), errors=errors)
        known = find_by_id_number(cleaned["id_number"])
        # Said only when the name matches too, so a unit cannot probe ID numbers; any other
        # clash is refused by the personnel database when the case is concluded.
        if known is not None and known.name == cleaned["name"]:
            raise HallError("该人员已在人员库中，调入请办理「人员调动(调入)」", field="id_number")
        return cleaned

    def on_approve(self, case, actor):
        _personnel(
            events.person_hire,
            actor=actor,
            unit=case.unit,
            category=case.form["category"],
            date=timezone.localdate(),
            document_number=case.number,
            entry_type="12",
            reservation=case.reservation,
            post_name=case.form.get("post_name", ""),
            name=case.form["name"],
            id_number=id_number_of(case.form),
        )

    def summary(self, form):
        return f"入编 {form.get('name', '')}（{CATEGORIES.get(form.get('category'), '')}）"


class Retire(NoEffect):
    fields = [
        {"name": "name", "label": "退休人员姓名", "kind": "text"},
        {"name": "id_number", "label": "退休人员身份证号码", "kind": "id_number"},
    ]

    def clean(self, form, unit):
        errors = []
        cleaned = {"name": _name(form, errors), "id_number": _id_number(form, errors)}
        if errors:
            raise HallError("；".join(errors), errors=errors)
        person = _person(cleaned)
        if not person.unit.path.startswith(unit.path):
            raise HallError(NO_SUCH_PERSON, field="id_number")
        return cleaned

    def on_approve(self, case, actor):
        _personnel(
            events.person_retire,
            actor=actor,
            person=_person_at_conclusion(case),
            date=timezone.localdate(),
            document_number=case.number,
        )

    def summary(self, form):
        return f"退休 {form.get('name', '')}"


EFFECTS = {
    Effect.NONE: NoEffect(),
    Effect.TRANSFER_IN: TransferIn(),
    Effect.SLOT_USE: SlotUse(),
    Effect.RETIRE: Retire(),
}


def effect_of(item) -> NoEffect:
    return EFFECTS[item.effect or Effect.NONE]
