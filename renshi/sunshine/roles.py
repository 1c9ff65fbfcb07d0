"""Who may do what in sunshine personnel (core/roles.py holds the roles themselves)."""

from renshi.core.roles import Role

# The owning sections: each handles the objections to its own notices and the reports routed to it.
SECTION_ROLES = frozenset({Role.PERSONNEL, Role.ESTABLISHMENT, Role.EXAM_OFFICE})
# Leaders oversee every section's notices, objections and routed reports (never the reporter).
OVERSEE = frozenset({Role.SECTION_CHIEF, Role.BUREAU_LEADER})
MANAGE_NOTICES = SECTION_ROLES | {Role.SECTION_CHIEF}
HANDLE_OBJECTIONS = SECTION_ROLES | OVERSEE
IMPORT_FROM_EXAMS = frozenset({Role.EXAM_OFFICE, Role.SECTION_CHIEF})
VIEW_REPORTS = SECTION_ROLES | OVERSEE | {Role.DISCIPLINE}
# Only the discipline office sees who filed a report, routes it and answers the reporter.
SEE_REPORTER = frozenset({Role.DISCIPLINE})
REPORT_STATS = frozenset({Role.DISCIPLINE, Role.SECTION_CHIEF, Role.BUREAU_LEADER})
STAFF = VIEW_REPORTS
