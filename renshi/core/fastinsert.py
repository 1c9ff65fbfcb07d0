"""One-row INSERT without the ORM's per-call SQL compilation, signals or RETURNING.

For append-only rows written on hot paths (audit rows, timeline events during the registration
surge). Values go through each field's `get_db_prep_save`, so JSON, dates and foreign keys are
stored exactly as `Model.save()` would store them; the statement text is built once per
(model, columns) and, on PostgreSQL with server-side binding, prepared once per connection."""

import functools

from django.db import connections


@functools.cache
def _statement(model, names: tuple[str, ...], vendor: str) -> tuple[str, tuple]:
    connection = connections["default"]
    quote = connection.ops.quote_name
    fields = tuple(model._meta.get_field(name) for name in names)
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    # Identifiers come from the model's own metadata (quoted); values are bound parameters.
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})", fields  # noqa: S608


def insert(model, **values) -> None:
    """Insert one row of `model` (give foreign keys by attname, e.g. actor_id=…)."""
    connection = connections["default"]
    sql, fields = _statement(model, tuple(values), connection.vendor)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
