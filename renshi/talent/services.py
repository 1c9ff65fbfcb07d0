"""Writes of the talent market and of mobile party members: one transaction, one audit row."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core import crypto, notify, pagecache
from renshi.core.audit import audit_record, changed, snapshot
from renshi.core.idnumbers import mask_id, mask_phone
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.uploads import check_file
from renshi.talent.errors import TalentError
from renshi.talent.models import (
    CheckIn,
    ContactRequest,
    MemberStatus,
    MobileMember,
    Opening,
    OpeningStatus,
    PartyNotice,
    RequestStatus,
    Resume,
    Visibility,
    period_label,
)

OPENING_FIELDS = [
    "title", "headcount", "education", "major", "experience_years", "salary_min", "salary_max",
    "location", "closes_on", "description",
]  # fmt: skip
RESUME_FIELDS = [
    "visibility", "education", "major", "experience_years", "desired_title", "desired_location",
    "expected_salary", "skills", "summary", "email",
]  # fmt: skip
PAGES = "talent"  # the public pages' scope in core.pagecache


def _pages_changed() -> None:
    transaction.on_commit(lambda: pagecache.invalidate(PAGES))


def _check_opening(fields):
    if fields["salary_min"] > fields["salary_max"]:
        raise TalentError("月薪下限不能高于上限", field="salary_max")
    if fields["headcount"] < 1:
        raise TalentError("招聘人数至少为1人", field="headcount")


def opening_save(*, actor, unit, opening: Opening | None = None, **fields) -> Opening:
    """Create a draft for the clerk's unit or change one of its openings."""
    _check_opening(fields)
    with transaction.atomic():
        if opening is None:
            opening = Opening(unit=unit, created_by=actor)
            before = {}
        else:
            opening = Opening.objects.select_for_update().get(pk=opening.pk, unit=unit)
            if opening.status == OpeningStatus.CLOSED:
                raise TalentError("岗位已结束招聘，不能再修改")
            before = snapshot(opening, OPENING_FIELDS)
        for name, value in fields.items():
            setattr(opening, name, value)
        opening.full_clean()
        opening.save()
        old, new = changed(before, snapshot(opening, OPENING_FIELDS))
        action = "talent.opening_update" if before else "talent.opening_create"
        audit_record(
            actor=actor, action=action, obj=opening, unit_id=unit.pk, before=old, after=new
        )
        _pages_changed()
    return opening


def _opening_move(*, actor, unit, opening_id, allowed, status, action, message):
    with transaction.atomic():
        opening = Opening.objects.select_for_update().filter(pk=opening_id, unit=unit).first()
        if opening is None:
            raise TalentError("岗位不存在")
        if opening.status not in allowed:
            raise TalentError(message.format(opening.get_status_display()))
        before = opening.status
        opening.status = status
        now = timezone.now()
        if status == OpeningStatus.PUBLISHED:
            if opening.closes_on < timezone.localdate():
                raise TalentError("截止日期已过，请先修改截止日期再发布", field="closes_on")
            opening.published_at = now
        else:
            opening.closed_at = now
        opening.save(update_fields=["status", "published_at", "closed_at"])
        audit_record(
            actor=actor, action=action, obj=opening, unit_id=unit.pk,
            before={"status": before}, after={"status": status},
        )  # fmt: skip
        _pages_changed()
    return opening


def opening_publish(*, actor, unit, opening_id) -> Opening:
    return _opening_move(
        actor=actor, unit=unit, opening_id=opening_id, allowed={OpeningStatus.DRAFT},
        status=OpeningStatus.PUBLISHED, action="talent.opening_publish",
        message="岗位当前为“{}”，只有草稿可以发布",
    )  # fmt: skip


def opening_close(*, actor, unit, opening_id) -> Opening:
    return _opening_move(
        actor=actor, unit=unit, opening_id=opening_id, allowed={OpeningStatus.PUBLISHED},
        status=OpeningStatus.CLOSED, action="talent.opening_close",
        message="岗位当前为“{}”，只有招聘中的岗位可以结束",
    )  # fmt: skip


def resume_save(*, actor, candidate, **fields) -> Resume:
    """Create or change the candidate's one résumé."""
    with transaction.atomic():
        resume = Resume.objects.select_for_update().filter(candidate=candidate).first()
        before = snapshot(resume, RESUME_FIELDS) if resume else {}
        resume = resume or Resume(candidate=candidate)
        for name, value in fields.items():
            setattr(resume, name, value)
        resume.updated_at = timezone.now()
        resume.full_clean()
        resume.save()
        old, new = changed(before, snapshot(resume, RESUME_FIELDS))
        action = "talent.resume_update" if before else "talent.resume_create"
        audit_record(actor=actor, action=action, obj=resume, before=old, after=new)
    return resume


def contact_request(*, actor, unit, resume_id, opening=None, message="") -> ContactRequest:
    """The unit asks for the person's contact details (once per résumé)."""
    with transaction.atomic():
        resume = Resume.objects.filter(pk=resume_id, visibility=Visibility.PUBLIC).first()
        if resume is None:
            raise TalentError("该简历不存在或已设为不公开")
        if opening is not None and opening.unit_id != unit.pk:
            raise TalentError("只能关联本单位的岗位", field="opening")
        try:
            # The unique constraint decides between two clerks of one unit asking at once.
            with transaction.atomic():
                request = ContactRequest.objects.create(
                    unit=unit, resume=resume, opening=opening, message=message, requested_by=actor
                )
        except IntegrityError:
            raise TalentError("本单位已向此人发出过联系请求，不能重复请求") from None
        audit_record(
            actor=actor, action="talent.contact_request", obj=request, unit_id=unit.pk,
            label=f"{unit.name} → {resume.masked_name}", after={"opening": request.opening_id},
        )  # fmt: skip
    return request


def contact_answer(*, actor, candidate, request_id, accept: bool) -> ContactRequest:
    """The person accepts (the unit then sees phone and e-mail) or declines."""
    with transaction.atomic():
        # Locked so a double click cannot answer twice with different answers.
        request = (
            ContactRequest.objects.select_for_update()
            .filter(pk=request_id, resume__candidate=candidate)
            .first()
        )
        if request is None:
            raise TalentError("联系请求不存在")
        if request.status != RequestStatus.PENDING:
            raise TalentError(f"该请求已答复（{request.get_status_display()}），不能再更改")
        request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        audit_record(
            actor=actor, action="talent.contact_answer", obj=request, unit_id=request.unit_id,
            before={"status": RequestStatus.PENDING}, after={"status": request.status},
        )  # fmt: skip
    return request


def member_register(
    *, actor, candidate, organisation, id_number, phone, city, employer
) -> MobileMember:
    """A mobile party member registers where they are; the ID number must be the account's own."""
    if crypto.blind_index(id_number) != candidate.id_number_hash:
        raise TalentError("身份证号码与本账号的实名信息不一致", field="id_number")
    with transaction.atomic():
        if MobileMember.objects.filter(user=candidate.user).exists():
            raise TalentError("您已登记过流动党员信息")
        if MobileMember.objects.filter(id_number_hash=candidate.id_number_hash).exists():
            raise TalentError("该身份证号码已登记，请联系所在党组织", field="id_number")
        member = MobileMember(
            organisation=organisation, user=candidate.user, name=candidate.name,
            id_number_cipher=crypto.encrypt(id_number), id_number_hash=candidate.id_number_hash,
            id_number_masked=mask_id(id_number), phone_cipher=crypto.encrypt(phone),
            phone_masked=mask_phone(phone), city=city, employer=employer,
        )  # fmt: skip
        member.full_clean()
        member.save()
        audit_record(
            actor=actor, action="talent.member_register", obj=member,
            after={"organisation": organisation.pk, "city": city, "employer": employer,
                   "id_number": member.id_number_masked, "phone": member.phone_masked},
        )  # fmt: skip
    return member


def member_update(*, actor, member, city, employer, phone) -> MobileMember:
    with transaction.atomic():
        member = MobileMember.objects.select_for_update().get(pk=member.pk)
        before = {"city": member.city, "employer": member.employer, "phone": member.phone_masked}
        member.city, member.employer = city, employer
        if phone:  # blank keeps the number
            member.phone_cipher, member.phone_masked = crypto.encrypt(phone), mask_phone(phone)
        member.save(update_fields=["city", "employer", "phone_cipher", "phone_masked"])
        after = {"city": city, "employer": employer, "phone": member.phone_masked}
        old, new = changed(before, after)
        audit_record(actor=actor, action="talent.member_update", obj=member, before=old, after=new)
    return member


def member_decide(*, actor, organisation, member_id, accept: bool) -> MobileMember:
    """The secretary confirms (or refuses) that the registrant is a member of the organisation."""
    with transaction.atomic():
        member = (
            MobileMember.objects.select_for_update()
            .filter(pk=member_id, organisation=organisation)
            .first()
        )
        if member is None:
            raise TalentError("登记记录不存在")
        if member.status != MemberStatus.PENDING:
            raise TalentError(f"该登记已处理（{member.get_status_display()}）")
        member.status = MemberStatus.ACTIVE if accept else MemberStatus.REJECTED
        member.decided_at = timezone.now()
        member.save(update_fields=["status", "decided_at"])
        audit_record(
            actor=actor, action="talent.member_decide", obj=member,
            before={"status": MemberStatus.PENDING}, after={"status": member.status},
        )  # fmt: skip
    return member


def notice_post(*, actor, organisation, title, body, attachment=None) -> PartyNotice:
    if attachment:
        try:
            check_file(attachment, field="attachment")
        except SunshineError as e:
            raise TalentError(e.message, field="attachment") from None
    with transaction.atomic():
        notice = PartyNotice(organisation=organisation, title=title, body=body, author=actor)
        if attachment:
            notice.attachment = attachment
            notice.attachment_name = attachment.name[:120]
        notice.full_clean()
        notice.save()
        audit_record(
            actor=actor, action="talent.party_notice", obj=notice,
            after={"organisation": organisation.pk, "title": title,
                   "attachment": notice.attachment_name},
        )  # fmt: skip
    return notice


def checkin_submit(*, actor, member, kind, text, today=None) -> CheckIn:
    """The member reports for the organisation's current period (once per period)."""
    with transaction.atomic():
        member = MobileMember.objects.select_related("organisation").get(pk=member.pk)
        if member.status != MemberStatus.ACTIVE:
            raise TalentError("党组织确认登记后才能报到或提交思想汇报")
        period = member.organisation.current_period(today)
        if CheckIn.objects.filter(member=member, period=period).exists():
            raise TalentError(f"{period_label(period)}已提交过，每期提交一次")
        checkin = CheckIn.objects.create(member=member, period=period, kind=kind, text=text)
        audit_record(
            actor=actor, action="talent.checkin", obj=checkin,
            after={"period": period, "kind": kind},
        )  # fmt: skip
    return checkin


def remind_unreported(*, actor, organisation, today=None) -> int:
    """An SMS to every confirmed member who has not reported for the current period."""
    from renshi.talent.selectors import unreported_members

    period = organisation.current_period(today)
    with transaction.atomic():
        members = list(unreported_members(organisation, period))
        for member in members:
            member.reminders.create(period=period, sent_by=actor)
            text = (
                f"【{organisation.name}】{member.name}同志，请于本期结束前完成"
                f"{period_label(period)}的报到或思想汇报。"
            )
            phone = crypto.decrypt(member.phone_cipher)
            transaction.on_commit(lambda p=phone, t=text: notify.send_sms(p, t))
        audit_record(
            actor=actor, action="talent.party_remind", obj=organisation,
            after={"period": period, "reminded": len(members)},
        )  # fmt: skip
    return len(members)
