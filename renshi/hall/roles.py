"""Who may do what with service items (core/roles.py holds the roles themselves)."""

from renshi.core.roles import Role

# Who edits item definitions (drafts) and submits them for review.
EDIT_ITEMS = frozenset({Role.PERSONNEL, Role.ESTABLISHMENT, Role.SECTION_CHIEF})
# Who publishes a reviewed version.
PUBLISH_ITEMS = frozenset({Role.SECTION_CHIEF})
