"""Code-table names in templates: {{ candidate.political_status|code_name:"political" }}."""

from django import template

from renshi.core import codes

register = template.Library()


@register.filter
def code_name(code: str, table: str) -> str:
    """The name of `code` in the code table `table` (the code itself when unknown)."""
    return codes.name(table, code)
