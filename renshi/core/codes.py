"""Code-table lookups, cached per process so list pages cost no extra queries per row."""

import functools

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save


@functools.cache
def _table(key: str) -> dict[str, str]:
    from renshi.core.models import CodeItem

    return dict(
        CodeItem.objects.filter(table__key=key, is_active=True)
        .order_by("sort", "code")
        .values_list("code", "name")
    )


def choices(key: str) -> list[tuple[str, str]]:
    return list(_table(key).items())


def name(key: str, code: str) -> str:
    if not code:
        return ""
    return _table(key).get(code, code)


def validate(key: str, code: str, label: str) -> None:
    if code and code not in _table(key):
        raise ValidationError(f"{label}代码「{code}」不在代码表中", code="unknown_code")


def lookup_by_name(key: str, text: str) -> str | None:
    """Accept a code or a name (as people type names in spreadsheets)."""
    table = _table(key)
    text = (text or "").strip()
    if text in table:
        return text
    for code, item_name in table.items():
        if item_name == text:
            return code
    return None


def clear_cache(**kwargs):
    _table.cache_clear()


def connect_signals():
    from renshi.core.models import CodeItem

    post_save.connect(clear_cache, sender=CodeItem, dispatch_uid="codes_clear_save")
    post_delete.connect(clear_cache, sender=CodeItem, dispatch_uid="codes_clear_delete")
