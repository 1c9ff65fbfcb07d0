"""Reads on the last-day hot path whose SQL is compiled once per process.

Every candidate request loads the session's user with the candidate profile, and every
submission the position with its exam and area. Compiling these select_related queries cost
more CPU than running them; here the ORM compiles each once (same SQL, same converters, same
model instances as `.get()`), and later calls only bind the new key. On PostgreSQL the text is
also the same each time, and it runs as a prepared statement (core.fastinsert.execute_prepared).
"""

import functools

from django.db import connections
from django.db.models.query import get_related_populators

from renshi.core.fastinsert import execute_prepared


class CompiledGet:
    """`queryset.get(pk=…)` for a fixed queryset: returns the instance or None."""

    def __init__(self, make_queryset):
        self.make_queryset = make_queryset  # called once per database vendor

    @functools.cached_property
    def _compiled(self):
        queryset = self.make_queryset().filter(pk=0)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if list(params) != [0]:  # the key must be the only parameter
            raise ValueError(f"CompiledGet needs a queryset without parameters: {params}")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return {
            "db": queryset.db,
            "sql": sql,
            "compiler": compiler,
            "converters": compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
            "model": klass_info["model"],
            "slice": slice(start, end),
            "init_list": [f[0].target.attname for f in select[start:end]],
            "populators": get_related_populators(klass_info, select, queryset.db),
        }

    def __call__(self, pk):
        c = self._compiled
        with connections[c["db"]].cursor() as cursor:
            execute_prepared(cursor, c["sql"], [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        if c["converters"]:
            row = next(iter(c["compiler"].apply_converters([row], c["converters"])))
        obj = c["model"].from_db(c["db"], c["init_list"], row[c["slice"]])
        for populator in c["populators"]:
            populator.populate(row, obj)
        return obj
