"""Candidate accounts: SMS codes, sign-up, password reset, profile, photo, ID-number reclaim.

One account per ID number is held by the unique `Candidate.id_number_hash`; the pre-check only
gives the friendlier message, the constraint decides the race. A granted reclaim moves the old
account's hash aside (`reclaimed:<pk>`) so the rightful owner can register, and keeps the old row
(suspended, its user inactive) for investigation.
"""

import datetime
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from PIL import Image

from renshi.core import codes, crypto, idnumbers, notify
from renshi.core.audit import audit_record, changed, snapshot
from renshi.core.models import User
from renshi.core.roles import Role
from renshi.exams import education_copy, photos, throttle
from renshi.exams.errors import ExamError
from renshi.exams.models import Candidate, Education, IdReclaim, ReclaimStatus, WorkExperience

SMS_SIGNATURE = "【鞍山人事考试】"
CODE_TTL = 5 * 60
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_SECONDS = 60
CODES_PER_PHONE_PER_DAY = 10
CODES_PER_IP_PER_MINUTE = 5
CODES_PER_IP_PER_HOUR = 30
PURPOSES = {"signup": "注册", "reset": "重置密码", "reclaim": "身份号码找回"}
RECLAIMED_PREFIX = "reclaimed:"
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PROOF_MAX_BYTES = 5 * 1024 * 1024
PROFILE_FIELDS = ["political_status", "fresh_graduate", "household", "email"]
EDUCATION_FIELDS = [
    "level",
    "degree",
    "school",
    "major_code",
    "major_name",
    "started_on",
    "graduated_on",
    "full_time",
]
WORK_FIELDS = ["employer", "post", "started_on", "ended_on", "grassroots"]


class CandidateError(ExamError):
    """A rule of candidate accounts was broken; the message is for the user, in Chinese."""


def _checked(validator, raw, field):
    try:
        return validator(raw)
    except ValidationError as e:
        raise CandidateError(e.messages[0], field=field) from None


def _check_code(table: str, code: str, label: str, field: str) -> None:
    try:
        codes.validate(table, code, label)
    except ValidationError as e:
        raise CandidateError(e.messages[0], field=field) from None


def _after_commit_sms(phone: str, text: str) -> None:
    transaction.on_commit(lambda: notify.send_sms(phone, SMS_SIGNATURE + text))


# --- One-time SMS codes ----------------------------------------------------------------------


def _code_key(purpose: str, phone: str) -> str:
    return f"otp:{purpose}:{crypto.blind_index(phone)}"


def _code_digest(purpose: str, phone: str, code: str) -> str:
    return salted_hmac("renshi.exams.otp", f"{purpose}:{phone}:{code}").hexdigest()


def candidate_send_code(*, phone: str, purpose: str, ip: str = "") -> None:
    """Text a 6-digit code to the phone; resends throttled per phone and per address."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    phone = _checked(idnumbers.validate_phone, phone, "phone")
    phone_key = crypto.blind_index(phone)
    if throttle.hit(f"otp-ip-min:{ip}", window=60) > CODES_PER_IP_PER_MINUTE or (
        throttle.hit(f"otp-ip-hour:{ip}", window=3600) > CODES_PER_IP_PER_HOUR
    ):
        raise CandidateError("获取验证码过于频繁，请稍后再试", field="phone", code="throttled")
    if not cache.add(f"otp-resend:{phone_key}", 1, CODE_RESEND_SECONDS):
        raise CandidateError(
            f"验证码已发送，请{CODE_RESEND_SECONDS}秒后再重新获取", field="phone", code="throttled"
        )
    if throttle.hit(f"otp-day:{phone_key}", window=86400) > CODES_PER_PHONE_PER_DAY:
        raise CandidateError("该手机号码今日获取验证码次数已达上限", field="phone", code="limit")
    code = f"{secrets.randbelow(10**6):06d}"
    expires = timezone.now().timestamp() + CODE_TTL
    entry = {"digest": _code_digest(purpose, phone, code), "expires": expires, "attempts": 0}
    cache.set(_code_key(purpose, phone), entry, CODE_TTL)
    notify.send_sms(
        phone,
        f"{SMS_SIGNATURE}您的{PURPOSES[purpose]}验证码为{code}，{CODE_TTL // 60}分钟内有效。"
        "工作人员不会向您索要验证码，请勿告知他人。",
    )


def candidate_verify_code(*, phone: str, purpose: str, code: str) -> None:
    """Accept the code once; wrong codes count, and too many wrong ones void it."""
    key = _code_key(purpose, phone)
    entry = cache.get(key)
    now = timezone.now().timestamp()
    if not entry or entry["expires"] <= now:
        raise CandidateError("验证码已过期或未获取，请重新获取", field="code", code="expired")
    code = (code or "").strip()
    if constant_time_compare(entry["digest"], _code_digest(purpose, phone, code)):
        cache.delete(key)
        return
    entry["attempts"] += 1
    if entry["attempts"] >= CODE_MAX_ATTEMPTS:
        cache.delete(key)
        raise CandidateError("验证码错误次数过多，请重新获取", field="code", code="attempts")
    cache.set(key, entry, max(1, int(entry["expires"] - now)))
    left = CODE_MAX_ATTEMPTS - entry["attempts"]
    raise CandidateError(f"验证码错误，还可尝试{left}次", field="code", code="wrong")


# --- Accounts --------------------------------------------------------------------------------


def id_taken_message(masked: str) -> str:
    return (
        f"身份证号码{masked}已被注册。如非本人注册，请通过“身份号码被占用找回”提交申请，"
        "由考试中心核实后处理。"
    )


def _check_password(password: str, *, name: str, email: str) -> None:
    try:
        validate_password(password, User(username="candidate", full_name=name, email=email))
    except ValidationError as e:
        raise CandidateError("；".join(e.messages), field="password") from None


def _new_username() -> str:
    # Internal only: candidates log in by ID or phone number; the ID never appears in clear.
    return "c" + secrets.token_hex(8)


def find_candidate(identifier: str) -> Candidate | None:
    """The active candidate with this ID number or (unambiguous) phone number."""
    text = idnumbers.normalize(identifier)
    active = Candidate.objects.select_related("user").filter(suspended=False)
    if len(text) == 18:
        return active.filter(id_number_hash=crypto.blind_index(text)).first()
    if idnumbers.PHONE_RE.match(text):
        found = list(active.filter(phone_hash=crypto.blind_index(text))[:2])
        return found[0] if len(found) == 1 else None
    return None


def candidate_register(
    *, name: str, id_number: str, phone: str, code: str, password: str, email: str = ""
) -> Candidate:
    """Create the account once the phone code checks out; one account per ID number."""
    name = (name or "").strip()
    if not 2 <= len(name) <= 50:
        raise CandidateError("请填写身份证上的真实姓名（2–50个字）", field="name")
    number = _checked(idnumbers.validate_id_number, id_number, "id_number")
    phone = _checked(idnumbers.validate_phone, phone, "phone")
    _check_password(password, name=name, email=email)
    id_hash, masked = crypto.blind_index(number), idnumbers.mask_id(number)
    if Candidate.objects.filter(id_number_hash=id_hash).exists():
        raise CandidateError(id_taken_message(masked), field="id_number", code="id_taken")
    phone_hash = crypto.blind_index(phone)
    if Candidate.objects.filter(phone_hash=phone_hash, suspended=False).exists():
        raise CandidateError("该手机号码已绑定其他考生账号", field="phone", code="phone_taken")
    candidate_verify_code(phone=phone, purpose="signup", code=code)
    try:
        with transaction.atomic():
            user = User(username=_new_username(), role=Role.CANDIDATE, full_name=name, email=email)
            user.set_password(password)
            user.save()
            candidate = Candidate.objects.create(
                user=user,
                name=name,
                id_number_cipher=crypto.encrypt(number),
                id_number_hash=id_hash,
                id_number_masked=masked,
                birth_date=idnumbers.birth_date_of(number),
                sex=idnumbers.sex_of(number),
                phone_cipher=crypto.encrypt(phone),
                phone_hash=phone_hash,
                phone_masked=idnumbers.mask_phone(phone),
                phone_verified_at=timezone.now(),
                email=email,
            )
            audit_record(
                actor=user,
                action="candidate.register",
                obj=candidate,
                after={"id_number": masked, "phone": candidate.phone_masked},
            )
    except IntegrityError:
        # Two sign-ups with the same ID number at once: the unique index lets one through.
        raise CandidateError(id_taken_message(masked), field="id_number", code="id_taken") from None
    return candidate


def candidate_reset_password(*, id_number: str, phone: str, code: str, password: str) -> None:
    """Set a new password after proving the bound phone."""
    number = _checked(idnumbers.validate_id_number, id_number, "id_number")
    phone = _checked(idnumbers.validate_phone, phone, "phone")
    candidate = Candidate.objects.filter(
        id_number_hash=crypto.blind_index(number), suspended=False
    ).first()
    if candidate is None or candidate.phone_hash != crypto.blind_index(phone):
        raise CandidateError("身份证号码与绑定的手机号码不一致", field="phone")
    _check_password(password, name=candidate.name, email=candidate.email)
    candidate_verify_code(phone=phone, purpose="reset", code=code)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=candidate.user_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="candidate.password_reset", obj=candidate)


# --- Profile ---------------------------------------------------------------------------------


def _lock(candidate) -> Candidate:
    return Candidate.objects.select_for_update().get(pk=candidate.pk)


@transaction.atomic
def candidate_update_profile(*, actor, candidate, **fields) -> Candidate:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise CandidateError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    _check_code("political", fields.get("political_status", ""), "政治面貌", "political_status")
    candidate = _lock(candidate)
    before = snapshot(candidate, PROFILE_FIELDS)
    for field, value in fields.items():
        setattr(candidate, field, value)
    candidate.save(update_fields=[*fields])
    old, new = changed(before, snapshot(candidate, PROFILE_FIELDS))
    if new:
        audit_record(actor=actor, action="candidate.profile", obj=candidate, before=old, after=new)
    return candidate


def _check_dates(start: datetime.date | None, end: datetime.date | None, label: str) -> None:
    today = timezone.localdate()
    if start and start > today:
        raise CandidateError(f"{label}开始时间不能晚于今天", field="started_on")
    if start and end and end < start:
        raise CandidateError(f"{label}结束时间不能早于开始时间", field="ended_on")


def _save_row(*, actor, candidate, row, fields, data, action):
    """Create or change one profile row (education, work) of this candidate, audited."""
    _lock(candidate)  # rows of one candidate change one at a time
    before = snapshot(row, fields) if row.pk else {}
    for field in fields:
        if field in data:
            setattr(row, field, data[field])
    row.candidate = candidate
    row.save()
    if isinstance(row, Education):
        education_copy.refresh(candidate.pk)
    old, new = changed(before, snapshot(row, fields))
    audit_record(
        actor=actor,
        action=action,
        obj=row,
        before=old or None,
        after=new,
        note=f"考生 {candidate.name}",
    )
    return row


@transaction.atomic
def education_save(*, actor, candidate, education=None, **data) -> Education:
    if not data.get("level"):
        raise CandidateError("请选择学历", field="level")
    _check_code("education", data["level"], "学历", "level")
    _check_dates(data.get("started_on"), data.get("graduated_on"), "学历")
    row = education or Education()
    return _save_row(
        actor=actor,
        candidate=candidate,
        row=row,
        fields=EDUCATION_FIELDS,
        data=data,
        action="candidate.education_save",
    )


@transaction.atomic
def work_save(*, actor, candidate, work=None, **data) -> WorkExperience:
    _check_dates(data.get("started_on"), data.get("ended_on"), "工作经历")
    return _save_row(
        actor=actor,
        candidate=candidate,
        row=work or WorkExperience(),
        fields=WORK_FIELDS,
        data=data,
        action="candidate.work_save",
    )


@transaction.atomic
def profile_row_delete(*, actor, row) -> None:
    """Delete an education or work row of the actor's own profile."""
    fields = EDUCATION_FIELDS if isinstance(row, Education) else WORK_FIELDS
    _lock(row.candidate)
    audit_record(
        actor=actor,
        action=f"candidate.{row._meta.model_name}_delete",
        obj=row,
        before=snapshot(row, fields),
    )
    row.delete()
    if isinstance(row, Education):
        education_copy.refresh(row.candidate_id)


@transaction.atomic
def candidate_set_photo(*, actor, candidate, data: bytes) -> Candidate:
    """Store the photo if it passes every rule (photos.PhotoRejected lists the reasons)."""
    photos.check_photo(data)
    candidate = _lock(candidate)
    old_name = candidate.photo.name
    name = f"{candidate.pk}-{secrets.token_hex(6)}.jpg"
    candidate.photo.save(name, ContentFile(data), save=False)
    candidate.photo_checked_at = timezone.now()
    candidate.save(update_fields=["photo", "photo_checked_at"])
    audit_record(
        actor=actor,
        action="candidate.photo",
        obj=candidate,
        before={"photo": old_name},
        after={"photo": candidate.photo.name, "bytes": len(data)},
    )
    if old_name:
        storage = candidate.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return candidate


# --- ID-number reclaim (身份号码被占用找回) -------------------------------------------------------


def _check_proof(upload) -> None:
    if upload is None:
        raise CandidateError("请上传身份证正反面照片或扫描件", field="proof")
    if upload.size > PROOF_MAX_BYTES:
        raise CandidateError("证明材料不能超过5 MB", field="proof")
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception:
        raise CandidateError("证明材料应为JPG、PNG图片或PDF文件", field="proof") from None
    finally:
        upload.seek(0)


def _tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))


def reclaim_submit(
    *, name: str, id_number: str, phone: str, code: str, statement: str, proof
) -> IdReclaim:
    """Record a claim that someone else registered this ID number; returns it with its code."""
    name = (name or "").strip()
    if not 2 <= len(name) <= 50:
        raise CandidateError("请填写身份证上的真实姓名", field="name")
    number = _checked(idnumbers.validate_id_number, id_number, "id_number")
    phone = _checked(idnumbers.validate_phone, phone, "phone")
    statement = (statement or "").strip()
    if len(statement) > 2000:
        raise CandidateError("情况说明不能超过2000字", field="statement")
    id_hash = crypto.blind_index(number)
    if not Candidate.objects.filter(id_number_hash=id_hash).exists():
        raise CandidateError("该身份证号码尚未注册，可直接注册考生账号", field="id_number")
    _check_proof(proof)
    candidate_verify_code(phone=phone, purpose="reclaim", code=code)
    with transaction.atomic():
        reclaim = IdReclaim(
            id_number_cipher=crypto.encrypt(number),
            id_number_hash=id_hash,
            id_number_masked=idnumbers.mask_id(number),
            name=name,
            phone_cipher=crypto.encrypt(phone),
            phone_masked=idnumbers.mask_phone(phone),
            statement=statement,
            tracking_code=_tracking_code(),
        )
        reclaim.proof.save(f"{secrets.token_hex(8)}-{proof.name[-40:]}", proof, save=False)
        reclaim.save()
        audit_record(
            actor=f"找回申请人 {name}",
            action="reclaim.submit",
            obj=reclaim,
            after={"id_number": reclaim.id_number_masked, "phone": reclaim.phone_masked},
        )
        _after_commit_sms(
            phone, f"您的身份号码找回申请已提交，查询码{reclaim.tracking_code}，请妥善保存。"
        )
    return reclaim


def reclaim_holder(reclaim) -> Candidate | None:
    """The account that currently holds the claimed ID number (None once moved aside)."""
    return (
        Candidate.objects.select_related("user")
        .filter(id_number_hash=reclaim.id_number_hash)
        .first()
    )


@transaction.atomic
def reclaim_decide(*, actor, reclaim, grant: bool, note: str = "") -> IdReclaim:
    """Grant (suspend the holder, free the ID number) or refuse, audited; the claimant is told."""
    note = (note or "").strip()
    if not grant and not note:
        raise CandidateError("不予找回时请填写处理意见", field="note")
    reclaim = IdReclaim.objects.select_for_update().get(pk=reclaim.pk)
    if reclaim.status != ReclaimStatus.PENDING:
        raise CandidateError("该申请已处理，请刷新后查看", code="stale")
    holder = reclaim_holder(reclaim)
    if grant and holder is not None:
        _suspend_holder(actor=actor, holder=holder, reclaim=reclaim)
    reclaim.status = ReclaimStatus.GRANTED if grant else ReclaimStatus.REFUSED
    reclaim.decided_at = timezone.now()
    reclaim.decided_by = actor
    reclaim.note = note[:300]
    reclaim.save(update_fields=["status", "decided_at", "decided_by", "note"])
    audit_record(
        actor=actor,
        action="reclaim.grant" if grant else "reclaim.refuse",
        obj=reclaim,
        before={"status": ReclaimStatus.PENDING},
        after={"status": reclaim.status, "holder": holder.pk if holder else None},
        note=note,
    )
    phone = crypto.decrypt(reclaim.phone_cipher)
    if grant:
        text = (
            f"您的身份号码找回申请（查询码{reclaim.tracking_code}）已核准，"
            "原账号已冻结，请使用本人身份证号码重新注册。"
        )
    else:
        text = f"您的身份号码找回申请（查询码{reclaim.tracking_code}）未予核准：{note[:60]}"
    _after_commit_sms(phone, text)
    return reclaim


def _suspend_holder(*, actor, holder, reclaim) -> None:
    holder = Candidate.objects.select_for_update().get(pk=holder.pk)
    user = User.objects.select_for_update().get(pk=holder.user_id)
    holder.suspended = True
    holder.id_number_hash = f"{RECLAIMED_PREFIX}{holder.pk}"
    holder.save(update_fields=["suspended", "id_number_hash"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="candidate.suspend",
        obj=holder,
        before={"suspended": False, "user_active": True},
        after={"suspended": True, "user_active": False},
        note=f"身份号码找回 {reclaim.tracking_code}：{holder.id_number_masked}",
    )
    from renshi.exams.services.applications import applications_withdraw_suspended

    applications_withdraw_suspended(candidate=holder, actor=actor)
    _after_commit_sms(
        crypto.decrypt(holder.phone_cipher),
        f"您注册的考生账号（身份证号码{holder.id_number_masked}）因身份号码找回申请经核实已被冻结。"
        "如有异议请联系考试中心。",
    )
