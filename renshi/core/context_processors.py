from renshi.core import roles


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav": {
            "personnel": user.role in roles.READ_ALL_PERSONNEL
            or user.role == roles.Role.UNIT_CLERK,
            "establishment": user.role in roles.READ_ALL_PERSONNEL
            or user.role == roles.Role.UNIT_CLERK,
            "import": user.role in roles.EDIT_PEOPLE,
            "audit": user.role in roles.VIEW_AUDIT,
            "users": user.role in roles.MANAGE_ROLES,
            "codes": user.role in roles.MANAGE_CONFIG,
            "exams": user.role in roles.RUN_EXAMS,
            "review": user.role in roles.REVIEW_APPLICATIONS,
            "proctor": user.role == roles.Role.PROCTOR,
            # Service-hall item editors (renshi.hall.roles.EDIT_ITEMS; core imports no app).
            "hall": user.role
            in (roles.Role.PERSONNEL, roles.Role.ESTABLISHMENT, roles.Role.SECTION_CHIEF),
            "examiner": user.role == roles.Role.EXAMINER,
            # Service-hall cases (renshi.hall.views_cases): units file, the window takes in,
            # bureau roles handle tasks, chiefs follow up bad ratings.
            "hall_unit": user.role == roles.Role.UNIT_CLERK,
            "hall_window": user.role == roles.Role.HALL_WINDOW,
            "hall_staff": user.role in roles.BUREAU_ROLES,
            "hall_chief": user.role in (roles.Role.SECTION_CHIEF, roles.Role.BUREAU_LEADER),
            # A party organisation's secretary: its mobile members (renshi.talent.views_party;
            # which organisations is the organisation's own secretary field).
            "party": user.role == roles.Role.PARTY_SECRETARY,
            # The site's news and the policy library (renshi.portal.roles.EDIT_SITE).
            "site": user.role in (roles.Role.WEB_EDITOR, roles.Role.SECTION_CHIEF),
            # Sunshine personnel staff pages (renshi.sunshine.roles.STAFF).
            "sunshine": user.role
            in roles.BUREAU_ROLES - {roles.Role.HALL_WINDOW} | {roles.Role.DISCIPLINE},
        }
    }
