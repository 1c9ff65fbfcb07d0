"""Roles and what each may do. Unit scoping (which units a clerk sees) lives in personnel."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PERSONNEL = "personnel", _("人事科")
    ESTABLISHMENT = "establishment", _("编制科")
    EXAM_OFFICE = "exam_office", _("考试中心")
    HALL_WINDOW = "hall_window", _("办事大厅窗口")
    SECTION_CHIEF = "section_chief", _("科长")
    BUREAU_LEADER = "bureau_leader", _("局领导")
    WEB_EDITOR = "web_editor", _("网站编辑")
    DISCIPLINE = "discipline", _("纪检监察")
    UNIT_CLERK = "unit_clerk", _("单位人事专员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    CANDIDATE = "candidate", _("考生")
    PROCTOR = "proctor", _("监考人员")
    EXAMINER = "examiner", _("面试考官")
    PARTY_SECRETARY = "party_secretary", _("党组织书记")


BUREAU_ROLES = frozenset(
    {
        Role.PERSONNEL,
        Role.ESTABLISHMENT,
        Role.EXAM_OFFICE,
        Role.HALL_WINDOW,
        Role.SECTION_CHIEF,
        Role.BUREAU_LEADER,
    }
)
# Bureau staff outside the business sections: the website's editors and the discipline office
# (the only ones who see who filed a report). They log in with a second factor like the others.
PORTAL_STAFF_ROLES = frozenset({Role.WEB_EDITOR, Role.DISCIPLINE})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Who reads the personnel base database across all units (clerks read their own subtree).
READ_ALL_PERSONNEL = frozenset(
    {Role.PERSONNEL, Role.ESTABLISHMENT, Role.HALL_WINDOW, Role.SECTION_CHIEF, Role.BUREAU_LEADER}
)
# Who changes people's records (clerks only within their subtree).
EDIT_PEOPLE = frozenset({Role.PERSONNEL, Role.SECTION_CHIEF, Role.UNIT_CLERK})
# Who changes units and establishment approvals (the 编制 side).
EDIT_ESTABLISHMENT = frozenset({Role.ESTABLISHMENT, Role.SECTION_CHIEF})
# Who may see a full ID or phone number (each reveal is audited).
REVEAL_PERSONAL_DATA = frozenset({Role.PERSONNEL, Role.SECTION_CHIEF, Role.UNIT_CLERK})
# Exams: the exam office runs them; a hiring unit's clerk reviews applications to its positions.
RUN_EXAMS = frozenset({Role.EXAM_OFFICE, Role.SECTION_CHIEF})
REVIEW_APPLICATIONS = frozenset({Role.EXAM_OFFICE, Role.SECTION_CHIEF, Role.UNIT_CLERK})
VIEW_AUDIT = frozenset({Role.AUDIT_ADMIN})
MANAGE_ROLES = frozenset({Role.SECURITY_ADMIN})
MANAGE_CONFIG = frozenset({Role.SYSTEM_ADMIN})


def has_role(user, roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)
