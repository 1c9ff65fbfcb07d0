"""Personnel events (人事变动): each is one transaction with its slot change, records and audit."""

from django.db import transaction

from renshi.core import codes
from renshi.core.audit import audit_record
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import (
    EntryRecord,
    ExitRecord,
    PersonStatus,
    PostRecord,
    RankRecord,
    SlotOccupancy,
)
from renshi.personnel.services import establishment
from renshi.personnel.services.people import (
    lock_person,
    person_create,
    person_refresh_current,
    set_status,
)


def _require_active(person):
    if person.status != PersonStatus.ACTIVE:
        raise PersonnelError(
            f"{person.name}当前状态为「{person.get_status_display()}」，不能办理此业务",
            code="not_active",
        )


def _end_posts(person, date):
    """Close the person's open posts, giving back any leadership post they held."""
    for post in PostRecord.objects.select_for_update().filter(person=person, end_date__isnull=True):
        post.end_date = max(date, post.start_date) if post.start_date else date
        post.save(update_fields=["end_date"])
        if post.is_leader and post.post_level:
            establishment.leader_post_release(post.unit_id, post.post_level)


@transaction.atomic
def person_hire(
    *,
    actor,
    unit,
    category,
    date,
    document_number,
    entry_type="12",
    reservation=None,
    post_name="",
    post_level="",
    from_unit_name="",
    **person_fields,
):
    """Recruit or hire a new person into a slot (考录 / 公开招聘 / 安置 → 入编)."""
    if not document_number:
        raise PersonnelError("入编须填写批准文号", field="document_number")
    if codes.name("entry_type", entry_type) == entry_type:
        raise PersonnelError(f"进入方式代码「{entry_type}」无效", field="entry_type")
    person = person_create(actor=actor, unit=unit, **person_fields)
    person = lock_person(person)
    establishment.slot_take(
        actor=actor,
        person=person,
        unit=unit,
        category=category,
        date=date,
        document_number=document_number,
        reason=codes.name("entry_type", entry_type),
        reservation=reservation,
    )
    EntryRecord.objects.create(
        person=person,
        unit=unit,
        entry_type=entry_type,
        start_date=date,
        document_number=document_number,
        approver=unit.name,
        from_unit_name=from_unit_name,
    )
    if post_name:
        PostRecord.objects.create(
            person=person,
            unit=unit,
            post_name=post_name,
            post_level=post_level,
            start_date=date,
            document_number=document_number,
            approver=unit.name,
        )
    person.category = category
    set_status(person, PersonStatus.ACTIVE, date)
    person_refresh_current(person)
    audit_record(
        actor=actor,
        action="person.hire",
        obj=person,
        unit_id=unit.pk,
        after={
            "unit": unit.name,
            "category": category,
            "document_number": document_number,
            "entry_type": entry_type,
        },
    )
    return person


@transaction.atomic
def person_transfer(
    *, actor, person, to_unit, category, date, document_number, reservation=None, post_name=""
):
    """Transfer between units: the slot is released here and taken there, in one transaction."""
    person = lock_person(person)
    _require_active(person)
    if person.unit_id == to_unit.pk:
        raise PersonnelError("调入单位与现单位相同", field="to_unit")
    from_unit = person.unit
    current = SlotOccupancy.objects.filter(person=person, end_date__isnull=True).first()
    pairs = [(to_unit, category)] + ([(current.unit, current.category)] if current else [])
    establishment.lock_lines(pairs)
    establishment.slot_release(
        actor=actor, person=person, date=date, document_number=document_number, reason="调出"
    )
    establishment.slot_take(
        actor=actor,
        person=person,
        unit=to_unit,
        category=category,
        date=date,
        document_number=document_number,
        reason="调入",
        reservation=reservation,
    )
    _end_posts(person, date)
    ExitRecord.objects.create(
        person=person,
        unit=from_unit,
        exit_type="11",
        start_date=date,
        document_number=document_number,
        to_unit_name=to_unit.name,
        approver=to_unit.name,
    )
    EntryRecord.objects.create(
        person=person,
        unit=to_unit,
        entry_type="21",
        start_date=date,
        document_number=document_number,
        from_unit_name=from_unit.name,
        approver=to_unit.name,
    )
    if post_name:
        PostRecord.objects.create(
            person=person,
            unit=to_unit,
            post_name=post_name,
            start_date=date,
            document_number=document_number,
            approver=to_unit.name,
        )
    person.unit = to_unit
    person.category = category
    set_status(person, PersonStatus.ACTIVE, date)
    person_refresh_current(person)
    audit_record(
        actor=actor,
        action="person.transfer",
        obj=person,
        unit_id=to_unit.pk,
        before={"unit": from_unit.name},
        after={"unit": to_unit.name, "category": category},
        note=document_number,
    )
    return person


@transaction.atomic
def person_appoint(
    *,
    actor,
    person,
    post_name,
    date,
    document_number,
    post_level="",
    is_leader=False,
    rank="",
    approver="",
    keep_current_posts=False,
):
    """Appointment or promotion: a new post (checked against leadership posts) and/or rank."""
    person = lock_person(person)
    _require_active(person)
    if not document_number:
        raise PersonnelError("任职须填写批准文号", field="document_number")
    if post_level and codes.name("post_level", post_level) == post_level:
        raise PersonnelError(f"职务层次代码「{post_level}」无效", field="post_level")
    if not keep_current_posts:
        _end_posts(person, date)
    if is_leader and post_level:
        establishment.leader_post_take(person.unit, post_level)
    PostRecord.objects.create(
        person=person,
        unit=person.unit,
        post_name=post_name,
        post_level=post_level,
        is_leader=is_leader,
        start_date=date,
        document_number=document_number,
        approver=approver or person.unit.name,
    )
    if rank:
        RankRecord.objects.filter(person=person, end_date__isnull=True).update(end_date=date)
        RankRecord.objects.create(
            person=person,
            rank=rank,
            start_date=date,
            document_number=document_number,
            approver=approver or person.unit.name,
        )
    before_post = person.current_post
    person_refresh_current(person)
    audit_record(
        actor=actor,
        action="person.appoint",
        obj=person,
        unit_id=person.unit_id,
        before={"post": before_post},
        after={
            "post": post_name,
            "post_level": post_level,
            "rank": rank,
            "document_number": document_number,
        },
    )
    return person


def _leave(*, actor, person, date, document_number, exit_type, status, action, to_unit_name=""):
    person = lock_person(person)
    _require_active(person)
    if not document_number:
        raise PersonnelError("须填写批准文号", field="document_number")
    reason = codes.name("exit_type", exit_type)
    establishment.slot_release(
        actor=actor, person=person, date=date, document_number=document_number, reason=reason
    )
    _end_posts(person, date)
    ExitRecord.objects.create(
        person=person,
        unit=person.unit,
        exit_type=exit_type,
        start_date=date,
        document_number=document_number,
        approver=person.unit.name,
        to_unit_name=to_unit_name,
    )
    old_status = person.status
    set_status(person, status, date)
    person_refresh_current(person)
    audit_record(
        actor=actor,
        action=action,
        obj=person,
        unit_id=person.unit_id,
        before={"status": old_status},
        after={"status": status, "date": date.isoformat()},
        note=document_number,
    )
    return person


@transaction.atomic
def person_retire(*, actor, person, date, document_number):
    """Retirement (退休): the person becomes retired and the slot is freed."""
    return _leave(
        actor=actor,
        person=person,
        date=date,
        document_number=document_number,
        exit_type="21",
        status=PersonStatus.RETIRED,
        action="person.retire",
    )


@transaction.atomic
def person_resign(*, actor, person, date, document_number, to_unit_name=""):
    """Resignation (辞职): the person leaves and the slot is freed."""
    return _leave(
        actor=actor,
        person=person,
        date=date,
        document_number=document_number,
        exit_type="31",
        status=PersonStatus.LEFT,
        action="person.resign",
        to_unit_name=to_unit_name,
    )


@transaction.atomic
def person_die(*, actor, person, date, document_number):
    """Death (死亡) of an active person: the slot is freed."""
    return _leave(
        actor=actor,
        person=person,
        date=date,
        document_number=document_number,
        exit_type="41",
        status=PersonStatus.DECEASED,
        action="person.die",
    )
