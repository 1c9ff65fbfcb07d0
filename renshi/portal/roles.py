from renshi.core.roles import Role

# Who writes and publishes the site's news (the chief signs off like an editor).
EDIT_SITE = frozenset({Role.WEB_EDITOR, Role.SECTION_CHIEF})
