"""People and their sub-records: create, correct, derive current values, reveal personal data."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from renshi.core import codes, crypto, idnumbers
from renshi.core.audit import audit_record, changed, snapshot
from renshi.core.codetables.tables import title_level
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import (
    RECORD_MODELS,
    Appraisal,
    DegreeRecord,
    EducationRecord,
    Person,
    PersonStatus,
    PostRecord,
    RankRecord,
    TitleRecord,
)

# Fields a user may set directly; everything else is derived or kept by the event services.
EDITABLE_FIELDS = [
    "name",
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
    "speciality",
]
AUDITED_FIELDS = [
    *EDITABLE_FIELDS,
    "id_number_masked",
    "phone_masked",
    "status",
    "unit",
    "category",
]
CODE_FIELDS = {
    "sex": ("sex", "性别"),
    "ethnicity": ("ethnicity", "民族"),
    "political_status": ("political", "政治面貌"),
    "health": ("health", "健康状况"),
    "marital_status": ("marital", "婚姻状况"),
    "identity": ("identity", "个人身份"),
}


COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "呼延",
    ]
)


def given_name_of(name: str) -> str:
    """The name without its surname (compound surnames such as 欧阳 included)."""
    name = name.strip()
    cut = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[cut:]


def pinyin_of(name: str) -> tuple[str, str]:
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(syllables).lower()[:120], "".join(initials).lower()[:20]


def _set_id_number(person, raw) -> None:
    try:
        number = idnumbers.validate_id_number(raw)
    except ValidationError as e:
        raise PersonnelError(e.messages[0], field="id_number") from None
    person.id_number_cipher = crypto.encrypt(number)
    person.id_number_hash = crypto.blind_index(number)
    person.id_number_masked = idnumbers.mask_id(number)
    if not person.birth_date:
        person.birth_date = idnumbers.birth_date_of(number)
    if not person.sex:
        person.sex = idnumbers.sex_of(number)
    person._id_number = number


def _set_phone(person, raw) -> None:
    if not raw:
        person.phone_cipher = person.phone_hash = person.phone_masked = ""
        return
    try:
        number = idnumbers.validate_phone(raw)
    except ValidationError as e:
        raise PersonnelError(e.messages[0], field="phone") from None
    person.phone_cipher = crypto.encrypt(number)
    person.phone_hash = crypto.blind_index(number)
    person.phone_masked = idnumbers.mask_phone(number)


def _validate(person) -> None:
    if not (person.name or "").strip():
        raise PersonnelError("姓名不能为空", field="name")
    for field, (table, label) in CODE_FIELDS.items():
        try:
            codes.validate(table, getattr(person, field), label)
        except ValidationError as e:
            raise PersonnelError(e.messages[0], field=field) from None
    number = getattr(person, "_id_number", None) or crypto.decrypt(person.id_number_cipher)
    problems = idnumbers.check_consistent(number, person.birth_date, person.sex)
    if problems:
        raise PersonnelError(
            "；".join(problems), field="birth_date" if "出生" in problems[0] else "sex"
        )
    if person.birth_date and person.birth_date > timezone.localdate():
        raise PersonnelError("出生日期不能晚于今天", field="birth_date")
    if person.work_start_date and person.birth_date and person.work_start_date < person.birth_date:
        raise PersonnelError("参加工作时间不能早于出生日期", field="work_start_date")
    person.name = person.name.strip()
    person.name_pinyin, person.name_initials = pinyin_of(person.name)
    person.given_name = given_name_of(person.name)


def find_by_id_number(raw) -> Person | None:
    number = idnumbers.normalize(raw)
    return Person.objects.filter(id_number_hash=crypto.blind_index(number)).first()


@transaction.atomic
def person_create(*, actor, unit, name, id_number, phone="", note="", **fields) -> Person:
    """Register a person's A01 record (no slot: intake goes through the event services)."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"status", "category", "status_date"}
    if unknown:
        raise PersonnelError(f"未知字段：{'、'.join(sorted(unknown))}")
    person = Person(unit=unit, name=name, **fields)
    _set_id_number(person, id_number)
    _set_phone(person, phone)
    _validate(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise PersonnelError(
            f"身份证号码{person.id_number_masked}已存在于人员库中",
            field="id_number",
            code="duplicate",
        ) from None
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        unit_id=unit.pk,
        after=snapshot(person, AUDITED_FIELDS),
        note=note,
    )
    return person


def lock_person(person) -> Person:
    return Person.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person.pk)


@transaction.atomic
def person_update(*, actor, person, id_number=None, phone=None, note="", **changes) -> Person:
    """Correct A01 fields; only what changed goes into the audit trail."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise PersonnelError(f"不可直接修改的字段：{'、'.join(sorted(unknown))}")
    person = lock_person(person)
    before = snapshot(person, AUDITED_FIELDS)
    for field, value in changes.items():
        setattr(person, field, value)
    if id_number is not None and idnumbers.normalize(id_number) != crypto.decrypt(
        person.id_number_cipher
    ):
        _set_id_number(person, id_number)
    if phone is not None:
        _set_phone(person, phone)
    _validate(person)
    after = snapshot(person, AUDITED_FIELDS)
    old, new = changed(before, after)
    if not new:
        return person
    person.updated_at = timezone.now()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise PersonnelError(
            "该身份证号码已被其他人员使用", field="id_number", code="duplicate"
        ) from None
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        unit_id=person.unit_id,
        before=old,
        after=new,
        note=note,
    )
    return person


def person_reveal(*, actor, person, field: str) -> str:
    """Show a full ID or phone number to a role that needs it; every reveal is audited."""
    if field not in ("id_number", "phone"):
        raise PersonnelError("只能查看身份证号码或手机号码")
    cipher = person.id_number_cipher if field == "id_number" else person.phone_cipher
    value = crypto.decrypt(cipher)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=f"person.reveal_{field}",
            obj=person,
            unit_id=person.unit_id,
            note="查看完整号码",
        )
    return value


# --- Sub-records --------------------------------------------------------------------------------

RECORD_CODE_FIELDS = {
    PostRecord: {"post_level": ("post_level", "职务层次")},
    TitleRecord: {"title": ("title", "专业技术职务")},
    EducationRecord: {"education": ("education", "学历")},
    DegreeRecord: {"degree": ("degree", "学位")},
    Appraisal: {"result": ("appraisal", "考核结论")},
}


def _record_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name not in ("id", "person")]


def _validate_record(record) -> None:
    for field, (table, label) in RECORD_CODE_FIELDS.get(type(record), {}).items():
        try:
            codes.validate(table, getattr(record, field), label)
        except ValidationError as e:
            raise PersonnelError(e.messages[0], field=field) from None
    if isinstance(record, RankRecord):
        table = "institution_grade" if record.rank[:1] in "MPW" else "cs_rank"
        try:
            codes.validate(table, record.rank, "职级")
        except ValidationError as e:
            raise PersonnelError(e.messages[0], field="rank") from None
    start, end = getattr(record, "start_date", None), getattr(record, "end_date", None)
    if start and end and end < start:
        raise PersonnelError("终止日期不能早于起始日期", field="end_date")
    try:
        record.full_clean(exclude=["person"], validate_constraints=False)
    except ValidationError as e:
        field, messages = next(iter(e.message_dict.items()))
        raise PersonnelError(f"{messages[0]}", field=field) from None


@transaction.atomic
def record_add(*, actor, person, record_type: str, note="", **fields):
    """Add a sub-record; `record_type` is a key of RECORD_MODELS (a reward has its own `kind`)."""
    kind = record_type
    model = RECORD_MODELS[kind]
    person = lock_person(person)
    record = model(person=person, **fields)
    _validate_record(record)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise PersonnelError(
            "该记录与已有记录重复（例如同一年度的考核）", code="duplicate"
        ) from None
    person_refresh_current(person)
    audit_record(
        actor=actor,
        action=f"person.{kind}.add",
        obj=person,
        unit_id=person.unit_id,
        after=snapshot(record, _record_fields(model)),
        note=note,
    )
    return record


@transaction.atomic
def record_update(*, actor, record, note="", **fields):
    model = type(record)
    kind = next(k for k, m in RECORD_MODELS.items() if m is model)
    person = lock_person(record.person)
    record = model.objects.select_for_update().get(pk=record.pk)
    before = snapshot(record, _record_fields(model))
    for field, value in fields.items():
        setattr(record, field, value)
    _validate_record(record)
    old, new = changed(before, snapshot(record, _record_fields(model)))
    if not new:
        return record
    record.save()
    person_refresh_current(person)
    audit_record(
        actor=actor,
        action=f"person.{kind}.update",
        obj=person,
        unit_id=person.unit_id,
        before=old | {"record_id": record.pk},
        after=new,
        note=note,
    )
    return record


@transaction.atomic
def record_delete(*, actor, record, note=""):
    model = type(record)
    kind = next(k for k, m in RECORD_MODELS.items() if m is model)
    person = lock_person(record.person)
    before = snapshot(record, _record_fields(model)) | {"record_id": record.pk}
    record.delete()
    person_refresh_current(person)
    audit_record(
        actor=actor,
        action=f"person.{kind}.delete",
        obj=person,
        unit_id=person.unit_id,
        before=before,
        note=note,
    )


def _current(records, today):
    """The record in force today: started, not ended, latest start first."""
    for r in records:
        if (r.start_date is None or r.start_date <= today) and (
            r.end_date is None or r.end_date >= today
        ):
            return r
    return None


def person_refresh_current(person) -> None:
    """Derive the cached "current" values from the records (called inside the changing txn)."""
    today = timezone.localdate()
    order = ("-start_date", "-id")
    post = _current(PostRecord.objects.filter(person=person).order_by(*order), today)
    rank = _current(RankRecord.objects.filter(person=person).order_by(*order), today)
    title = _current(TitleRecord.objects.filter(person=person).order_by(*order), today)
    educations = list(
        EducationRecord.objects.filter(person=person).values_list("education", flat=True)
    )
    degrees = list(DegreeRecord.objects.filter(person=person).values_list("degree", flat=True))
    # GB/T 4658 and GB/T 6864: a smaller code is a higher level.
    person.current_post = post.post_name if post else ""
    person.current_post_level = post.post_level if post else ""
    person.current_rank = rank.rank if rank else ""
    person.current_title = title.title if title else ""
    person.title_level = title_level(person.current_title)
    person.education = min(educations, default="")
    person.degree = min(degrees, default="")
    person.updated_at = timezone.now()
    person.save(
        update_fields=[
            "current_post",
            "current_post_level",
            "current_rank",
            "current_title",
            "title_level",
            "education",
            "degree",
            "updated_at",
        ]
    )


def set_status(person, status: PersonStatus, date: datetime.date) -> None:
    person.status = status
    person.status_date = date
    person.updated_at = timezone.now()
    person.save(update_fields=["status", "status_date", "updated_at", "unit", "category"])
