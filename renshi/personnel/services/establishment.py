"""Establishment (编制): approvals, reservations, taking and releasing slots — with the ledger."""

from django.db import transaction
from django.utils import timezone

from renshi.core.audit import audit_record
from renshi.personnel.errors import EstablishmentExceeded, PersonnelError
from renshi.personnel.models import (
    EstablishmentCategory,
    EstablishmentLine,
    LeaderPostLine,
    LedgerEntry,
    LedgerKind,
    ReservationStatus,
    SlotOccupancy,
    SlotReservation,
)


def lock_line(unit, category) -> EstablishmentLine:
    """The counter row, locked: every change to a unit's numbers in a category queues here."""
    if category not in EstablishmentCategory.values:
        raise PersonnelError(f"编制类别「{category}」无效", field="category")
    EstablishmentLine.objects.get_or_create(unit=unit, category=category)
    return (
        # of=self: lock the counter row only, not the joined unit row (crossing transfers).
        EstablishmentLine.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(unit=unit, category=category)
    )


def lock_lines(pairs) -> None:
    """Lock several counter rows in one fixed order, so crossing transfers cannot deadlock."""
    for unit, category in sorted(set(pairs), key=lambda p: (p[0].pk, p[1])):
        lock_line(unit, category)


def refusal_message(line, needed: int) -> str:
    return (
        f"「{line.unit.name}」{line.get_category_display()}不足：核定{line.approved}名，"
        f"实有{line.occupied}名，预留{line.reserved}名，可用{max(line.available, 0)}名，"
        f"本次需{needed}名。"
    )


def _ledger(*, actor, line, kind, delta, person=None, document_number="", note=""):
    LedgerEntry.objects.create(
        unit=line.unit,
        category=line.category,
        kind=kind,
        delta=delta,
        approved_after=line.approved,
        occupied_after=line.occupied,
        reserved_after=line.reserved,
        person=person,
        document_number=document_number,
        note=note[:200],
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _counters(line) -> dict:
    return {"approved": line.approved, "occupied": line.occupied, "reserved": line.reserved}


@transaction.atomic
def establishment_approve(
    *, actor, unit, category, approved: int, document_number: str, document_date=None, note=""
) -> EstablishmentLine:
    """Set the approved number for a category from an approval document (核定编制)."""
    if approved < 0:
        raise PersonnelError("核定编制数不能为负数", field="approved")
    if not document_number.strip():
        raise PersonnelError("核定编制须填写批准文号", field="document_number")
    line = lock_line(unit, category)
    before = _counters(line) | {"document_number": line.document_number}
    delta = approved - line.approved
    line.approved = approved
    line.document_number = document_number.strip()
    line.document_date = document_date
    line.save()
    _ledger(
        actor=actor,
        line=line,
        kind=LedgerKind.APPROVE,
        delta=delta,
        document_number=line.document_number,
        note=note,
    )
    audit_record(
        actor=actor,
        action="establishment.approve",
        obj=line,
        unit_id=unit.pk,
        before=before,
        after=_counters(line) | {"document_number": line.document_number},
        note=note,
    )
    return line


@transaction.atomic
def slot_reserve(
    *, actor, unit, category, count=1, reason: str, document_number="", reference=""
) -> SlotReservation:
    """Hold slots for an intake in approval; refused when it would exceed the approved number."""
    if count < 1:
        raise PersonnelError("预留数须大于0", field="count")
    line = lock_line(unit, category)
    if line.available < count:
        raise EstablishmentExceeded(refusal_message(line, count))
    line.reserved += count
    line.save(update_fields=["reserved"])
    reservation = SlotReservation.objects.create(
        unit=unit,
        category=category,
        count=count,
        reason=reason,
        document_number=document_number,
        reference=reference,
    )
    _ledger(
        actor=actor,
        line=line,
        kind=LedgerKind.RESERVE,
        delta=count,
        document_number=document_number,
        note=reason,
    )
    audit_record(
        actor=actor,
        action="establishment.reserve",
        obj=reservation,
        unit_id=unit.pk,
        after=_counters(line) | {"count": count, "reason": reason},
    )
    return reservation


def _lock_open_reservation(reservation) -> SlotReservation:
    locked = SlotReservation.objects.select_for_update().get(pk=reservation.pk)
    if locked.status != ReservationStatus.OPEN:
        raise PersonnelError("该编制预留已使用或已释放", code="reservation_closed")
    return locked


@transaction.atomic
def reservation_release(*, actor, reservation, note="") -> SlotReservation:
    """Give back reserved slots (the intake was refused or withdrawn)."""
    line = lock_line(reservation.unit, reservation.category)
    reservation = _lock_open_reservation(reservation)
    released = reservation.remaining
    line.reserved -= released
    line.save(update_fields=["reserved"])
    reservation.status = ReservationStatus.RELEASED
    reservation.closed_at = timezone.now()
    reservation.save(update_fields=["status", "closed_at"])
    _ledger(
        actor=actor,
        line=line,
        kind=LedgerKind.UNRESERVE,
        delta=-released,
        document_number=reservation.document_number,
        note=note or reservation.reason,
    )
    audit_record(
        actor=actor,
        action="establishment.release_reservation",
        obj=reservation,
        unit_id=reservation.unit_id,
        after=_counters(line),
        note=note,
    )
    return reservation


def slot_take(
    *, actor, person, unit, category, date, document_number="", reason="", reservation=None
) -> SlotOccupancy:
    """Put a person into a slot (入编). Caller holds the transaction and the person's lock."""
    line = lock_line(unit, category)
    if reservation is not None:
        reservation = _lock_open_reservation(reservation)
        if reservation.unit_id != unit.pk or reservation.category != category:
            raise PersonnelError("编制预留与入编单位或编制类别不一致", code="reservation_mismatch")
        reservation.used += 1
        line.reserved -= 1
        if reservation.remaining == 0:
            reservation.status = ReservationStatus.USED
            reservation.closed_at = timezone.now()
        reservation.save(update_fields=["used", "status", "closed_at"])
    elif line.available < 1:
        raise EstablishmentExceeded(refusal_message(line, 1))
    line.occupied += 1
    line.save(update_fields=["occupied", "reserved"])
    occupancy = SlotOccupancy.objects.create(
        person=person,
        unit=unit,
        category=category,
        start_date=date,
        in_document=document_number,
        reason_in=reason,
    )
    _ledger(
        actor=actor,
        line=line,
        kind=LedgerKind.TAKE,
        delta=1,
        person=person,
        document_number=document_number,
        note=reason,
    )
    return occupancy


def slot_release(*, actor, person, date, document_number="", reason="") -> SlotOccupancy | None:
    """Take a person out of their slot (出编); the caller holds the transaction and person lock."""
    occupancy = (
        SlotOccupancy.objects.select_for_update()
        .filter(person=person, end_date__isnull=True)
        .first()
    )
    if occupancy is None:
        return None
    line = lock_line(occupancy.unit, occupancy.category)
    line.occupied -= 1
    line.save(update_fields=["occupied"])
    occupancy.end_date = max(date, occupancy.start_date)
    occupancy.out_document = document_number
    occupancy.reason_out = reason
    occupancy.save(update_fields=["end_date", "out_document", "reason_out"])
    _ledger(
        actor=actor,
        line=line,
        kind=LedgerKind.RELEASE,
        delta=-1,
        person=person,
        document_number=document_number,
        note=reason,
    )
    return occupancy


@transaction.atomic
def leader_posts_approve(*, actor, unit, level: str, approved: int, document_number: str):
    """Set the approved leadership posts (领导职数) for a level."""
    if approved < 0:
        raise PersonnelError("领导职数不能为负数", field="approved")
    line, _ = LeaderPostLine.objects.get_or_create(unit=unit, level=level)
    line = LeaderPostLine.objects.select_for_update().get(pk=line.pk)
    before = {"approved": line.approved, "document_number": line.document_number}
    line.approved = approved
    line.document_number = document_number
    line.save(update_fields=["approved", "document_number"])
    audit_record(
        actor=actor,
        action="establishment.leader_posts",
        obj=line,
        unit_id=unit.pk,
        before=before,
        after={"approved": approved, "document_number": document_number},
    )
    return line


def leader_post_take(unit, level):
    line = LeaderPostLine.objects.select_for_update().filter(unit=unit, level=level).first()
    if line is None or line.occupied >= line.approved:
        approved = line.approved if line else 0
        occupied = line.occupied if line else 0
        from renshi.core import codes

        raise EstablishmentExceeded(
            f"「{unit.name}」{codes.name('post_level', level)}领导职数不足："
            f"核定{approved}名，已配{occupied}名。"
        )
    line.occupied += 1
    line.save(update_fields=["occupied"])


def leader_post_release(unit_id, level):
    line = LeaderPostLine.objects.select_for_update().filter(unit_id=unit_id, level=level).first()
    if line and line.occupied > 0:
        line.occupied -= 1
        line.save(update_fields=["occupied"])
