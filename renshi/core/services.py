"""Account administration by the security administrator (三员: 安全管理员), every step audited."""

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from renshi.core.audit import audit_record
from renshi.core.models import User
from renshi.core.roles import Role


class AccountError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _check_password(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise AccountError("；".join(e.messages), field="password") from None


@transaction.atomic
def user_create(*, actor, username, full_name, role, password) -> User:
    if role not in Role.values:
        raise AccountError("角色无效", field="role")
    user = User(username=username.strip(), full_name=full_name.strip(), role=role)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise AccountError("该用户名已存在", field="username") from None
    audit_record(actor=actor, action="user.create", obj=user, after={"role": role})
    return user


@transaction.atomic
def user_update(*, actor, user, role, is_active, full_name) -> User:
    if user.pk == actor.pk and (role != user.role or not is_active):
        raise AccountError("不能修改自己的角色或停用自己的账号（三员分立）")
    if role not in Role.values:
        raise AccountError("角色无效", field="role")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"role": user.role, "is_active": user.is_active, "full_name": user.full_name}
    user.role, user.is_active, user.full_name = role, is_active, full_name
    user.save(update_fields=["role", "is_active", "full_name"])
    after = {"role": role, "is_active": is_active, "full_name": full_name}
    if before != after:
        audit_record(actor=actor, action="user.update", obj=user, before=before, after=after)
    return user


@transaction.atomic
def user_unlock(*, actor, user) -> None:
    axes_reset(username=user.username)
    audit_record(actor=actor, action="user.unlock", obj=user)


@transaction.atomic
def user_reset_two_factor(*, actor, user) -> None:
    """The user enrols a new authenticator at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="user.reset_2fa", obj=user)
