"""Units (B01) as a tree with a materialised path."""

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from renshi.core import codes
from renshi.core.audit import audit_record, changed, snapshot
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import Unit

UNIT_FIELDS = [
    "name",
    "short_name",
    "credit_code",
    "division",
    "level",
    "affiliation",
    "unit_type",
    "funding_form",
    "parent",
    "sort",
    "is_active",
    "note",
]


def validate_credit_code(raw: str) -> str:
    if not raw:
        return ""
    try:
        return uscc.validate(raw)
    except stdnum_errors.InvalidChecksum:
        raise PersonnelError("统一社会信用代码校验位错误", field="credit_code") from None
    except stdnum_errors.ValidationError:
        raise PersonnelError("统一社会信用代码应为18位且格式正确", field="credit_code") from None


def _validate(unit) -> None:
    if not unit.name.strip():
        raise PersonnelError("单位名称不能为空", field="name")
    unit.credit_code = validate_credit_code(unit.credit_code)
    if codes.name("division", unit.division) == unit.division:
        raise PersonnelError(f"行政区划代码「{unit.division}」无效", field="division")
    for field in ("level", "affiliation", "unit_type", "funding_form"):
        valid = [c for c, _ in unit._meta.get_field(field).choices]
        if getattr(unit, field) not in valid:
            label = unit._meta.get_field(field).verbose_name
            raise PersonnelError(f"{label}无效", field=field)


def _path_for(unit) -> str:
    prefix = unit.parent.path if unit.parent_id else ""
    return f"{prefix}{unit.pk:06d}/"


@transaction.atomic
def unit_create(*, actor, name, parent=None, **fields) -> Unit:
    unit = Unit(name=name, parent=parent, **fields)
    _validate(unit)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise PersonnelError("统一社会信用代码已被其他单位使用", field="credit_code") from None
    unit.path = _path_for(unit)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="unit.create",
        obj=unit,
        unit_id=unit.pk,
        after=snapshot(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit, **changes) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    old_path = unit.path
    for field, value in changes.items():
        if field not in UNIT_FIELDS:
            raise PersonnelError(f"不可修改的字段：{field}")
        setattr(unit, field, value)
    _validate(unit)
    if unit.parent_id and unit.parent.path.startswith(old_path):
        raise PersonnelError("不能把单位移到它自己的下级单位之下", field="parent")
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise PersonnelError("统一社会信用代码已被其他单位使用", field="credit_code") from None
    new_path = _path_for(unit)
    if new_path != old_path:
        # Move the whole subtree in one statement.
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
        unit.refresh_from_db()
        for sub in Unit.objects.filter(path__startswith=new_path):
            sub.depth = sub.path.count("/") - 1
            sub.save(update_fields=["depth"])
    old, new = changed(before, snapshot(unit, UNIT_FIELDS))
    if new:
        audit_record(
            actor=actor, action="unit.update", obj=unit, unit_id=unit.pk, before=old, after=new
        )
    return unit
