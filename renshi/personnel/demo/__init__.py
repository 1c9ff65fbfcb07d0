"""The demo city of Anshan (鞍山市): a deterministic personnel base database for demos and bench.

Everything comes from one `random.Random(seed)`, so the same seed gives the same units, names and ID
numbers (ciphertexts differ: SM4-GCM takes a fresh nonce). Rows are written with `bulk_create` in
one transaction; the cached "current" fields are derived exactly as `person_refresh_current` does.
"""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.personnel import models as m
from renshi.personnel.demo.builder import SUB_MODELS, load_city, pad
from renshi.personnel.demo.catalogue import DISTRICTS

__all__ = [
    "DISTRICTS",
    "PASSWORD",
    "account_rows",
    "create_accounts",
    "is_loaded",
    "load_city",
    "pad",
    "reset_city",
]

PASSWORD = os.environ.get("DEMO_PASSWORD", "Renshi@2026")  # printed with the accounts


ACCOUNTS = [
    ("personnel", Role.PERSONNEL, "李人事", None),
    ("establishment", Role.ESTABLISHMENT, "王编制", None),
    ("exam_office", Role.EXAM_OFFICE, "赵考试", None),
    ("hall_window", Role.HALL_WINDOW, "孙窗口", None),
    ("section_chief", Role.SECTION_CHIEF, "周科长", None),
    ("bureau_leader", Role.BUREAU_LEADER, "吴局长", None),
    ("sysadmin", Role.SYSTEM_ADMIN, "郑系统", None),
    ("secadmin", Role.SECURITY_ADMIN, "冯安全", None),
    ("auditor", Role.AUDIT_ADMIN, "陈审计", None),
    ("clerk_caizheng", Role.UNIT_CLERK, "褚财政", "鞍山市财政局"),
    ("clerk_jiaoyu", Role.UNIT_CLERK, "卫教育", "鞍山市教育局"),
    ("clerk_zhongxin", Role.UNIT_CLERK, "蒋医院", "鞍山市中心医院"),
    ("clerk_tiedong", Role.UNIT_CLERK, "沈铁东", "铁东区人民政府"),
]


@transaction.atomic
def create_accounts(*, log=print) -> list:
    """The demo accounts (one password for all); clerks are scoped to their unit's subtree."""
    validate_password(PASSWORD)
    hashed = make_password(PASSWORD)  # hash once: 13 PBKDF2 runs would cost seconds
    User = get_user_model()
    users = []
    for username, role, full_name, unit_name in ACCOUNTS:
        unit = m.Unit.objects.filter(name=unit_name).first() if unit_name else None
        if unit_name and unit is None:
            continue  # a small city may not have this unit
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "full_name": full_name, "password": hashed, "is_active": True},
        )
        if unit:
            m.UserScope.objects.update_or_create(user=user, defaults={"unit": unit})
        users.append(user)
    log(f"演示账号 {len(users)} 个")
    return users


def account_rows() -> list[tuple[str, str, str]]:
    names = [a[0] for a in ACCOUNTS]
    users = get_user_model().objects.filter(username__in=names).select_related("scope__unit")
    by_name = {u.username: u for u in users}
    rows = []
    for name in names:
        if user := by_name.get(name):
            scope = getattr(user, "scope", None)
            rows.append((name, user.get_role_display(), scope.unit.name if scope else "人事局"))
    return rows


def is_loaded() -> bool:
    return (
        AuditEvent.objects.filter(action="demo.load").exists()
        and m.Unit.objects.filter(name="鞍山市财政局").exists()
    )


RESET_ORDER = [
    *SUB_MODELS.values(),
    m.RewardPunishment,
    m.EntryRecord,
    m.ExitRecord,
    m.LedgerEntry,
    m.SlotOccupancy,
    m.SlotReservation,
    m.LeaderPostLine,
    m.EstablishmentLine,
    m.UserScope,
    m.Person,
]


@transaction.atomic
def reset_city() -> None:
    """Delete units, people and establishment (the audit trail stays: it cannot be deleted)."""
    for model in RESET_ORDER:
        model.objects.all().delete()
    for depth in sorted(set(m.Unit.objects.values_list("depth", flat=True)), reverse=True):
        m.Unit.objects.filter(depth=depth).delete()
