"""Code-table lookups, cached per process so list pages cost no extra queries per row."""

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save

_tables: dict[str, dict[str, str]] = {}


def _table(key: str) -> dict[str, str]:
    """The table's active items, read once per process. An empty read is not kept: every table
    ships with the migrations, so empty means "not there yet" (a database being emptied or
    restored, as between tests), and keeping it would refuse every code until a restart."""
    table = _tables.get(key)
    if table is None:
        from renshi.core.models import CodeItem

        table = dict(
            CodeItem.objects.filter(table__key=key, is_active=True)
            .order_by("sort", "code")
            .values_list("code", "name")
        )
        if table:
            _tables[key] = table
    return table


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
    _tables.clear()


def connect_signals():
    from renshi.core.models import CodeItem

    post_save.connect(clear_cache, sender=CodeItem, dispatch_uid="codes_clear_save")
    post_delete.connect(clear_cache, sender=CodeItem, dispatch_uid="codes_clear_delete")
