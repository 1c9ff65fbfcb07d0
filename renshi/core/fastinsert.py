"""One-row INSERT without the ORM's per-call SQL compilation, signals or RETURNING.

For append-only rows written on hot paths (audit rows, timeline events during the registration
surge). Values go through each field's `get_db_prep_save`, so JSON, dates and foreign keys are
stored exactly as `Model.save()` would store them; the statement text is built once per
(model, columns) and, on PostgreSQL, prepared once per connection (`execute_prepared`)."""

import functools

from django.db import connections


def execute_prepared(cursor, sql, params) -> None:
    """Run a hot-path statement as a prepared statement on PostgreSQL: parsed once per connection,
    and after five runs planned once (the generic plan of a key lookup or an insert is the plan).

    Django turns psycopg's automatic preparation off (for pgbouncer) and it stays off for every
    other statement, so a search is still planned for its own values each time; only the callers
    of this function opt in, through the connection's threshold for this one call (the cursor
    wrapper keeps Django's error translation and query logging)."""
    connection = cursor.db
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = 0
    try:
        cursor.execute(sql, params)
    finally:
        raw.prepare_threshold = before


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
        execute_prepared(cursor, sql, params)


class NewId:
    """In a child row, the id of the parent row inserted with it (`as_text`: as a string)."""

    def __init__(self, *, as_text: bool = False):
        self.as_text = as_text


NEW_ID = NewId()
NEW_ID_TEXT = NewId(as_text=True)


def insert_family(instance, children: list[tuple[type, dict]]) -> int:
    """Insert an unsaved model instance and rows that refer to it, returning the new id.

    On PostgreSQL this is one statement (the children's INSERTs chained to the parent's by a
    data-modifying CTE): one round trip instead of three. Elsewhere the parent is saved by the
    ORM and the children follow with `insert`. Children name the parent's id with NEW_ID (or
    NEW_ID_TEXT for a text column such as the audit trail's object_id)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        instance.save(force_insert=True)
        for model, values in children:
            insert(model, **_with_id(values, instance.pk))
        return instance.pk
    model = type(instance)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    values = {f.attname: getattr(instance, f.attname) for f in fields}
    shape = tuple(
        (child, tuple((name, _marker(value)) for name, value in child_values.items()))
        for child, child_values in children
    )
    sql, parent_fields, child_fields = _family_statement(model, tuple(values), shape)
    params = [
        f.get_db_prep_save(v, connection)
        for f, v in zip(parent_fields, values.values(), strict=True)
    ]
    for (_child, child_values), value_fields in zip(children, child_fields, strict=True):
        given = [v for v in child_values.values() if not isinstance(v, NewId)]
        params += [
            f.get_db_prep_save(v, connection) for f, v in zip(value_fields, given, strict=True)
        ]
    with connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = "default"
    return instance.pk


def _marker(value) -> str:
    if isinstance(value, NewId):
        return "p.id::text" if value.as_text else "p.id"
    return "%s"


@functools.cache
def _family_statement(model, names: tuple[str, ...], shape: tuple) -> tuple[str, tuple, tuple]:
    """insert_family's statement for one shape of family, built once (PostgreSQL): the SQL,
    the parent's fields and, per child, the fields whose values are bound parameters."""
    connection = connections["default"]
    quote = connection.ops.quote_name
    parent_sql, parent_fields = _statement(model, names, connection.vendor)
    parts = [f"p AS ({parent_sql} RETURNING {quote(model._meta.pk.column)} AS id)"]
    child_fields = []
    for n, (child, columns) in enumerate(shape):
        fields = [child._meta.get_field(name) for name, _ in columns]
        child_fields.append(
            tuple(f for f, (_, mark) in zip(fields, columns, strict=True) if mark == "%s")
        )
        table = quote(child._meta.db_table)
        parts.append(
            f"c{n} AS (INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 (metadata)
            f"SELECT {', '.join(mark for _, mark in columns)} FROM p)"
        )
    sql = "WITH " + ", ".join(parts) + " SELECT id FROM p"  # noqa: S608 (identifiers from metadata)
    return sql, parent_fields, tuple(child_fields)


def _with_id(values: dict, pk) -> dict:
    return {
        k: (str(pk) if v.as_text else pk) if isinstance(v, NewId) else v for k, v in values.items()
    }
