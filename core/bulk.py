"""Set-based updates of many rows with different values (issue 12).

Django's ``bulk_update`` writes one ``CASE WHEN pk = … THEN …`` per row and field: PostgreSQL
plans and evaluates a CASE of thousands of branches for every field, which made the period
close spend most of its time there. :func:`bulk_update_values` sends the same rows as one
``UPDATE … FROM (VALUES …)`` join (a few rows), or copies them into a temporary table with
``COPY`` and joins that (many rows: no statement with tens of thousands of parameters to build,
send and parse), each value typed as its column.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

# Rows per VALUES statement: keeps each statement's parameters well under PostgreSQL's 65,535.
CHUNK = 2000
# From this many rows on, the rows go through COPY into a temporary table.
COPY_FROM = 200


def bulk_update_values(objs: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of every object in ``objs`` (saved rows of one model) to the
    database, as ``bulk_update`` would, in one statement per chunk; returns rows updated."""
    if not objs:
        return 0
    meta = type(objs[0])._meta
    pk = meta.pk
    assert pk is not None
    concrete: list[Field[Any, Any]] = []
    for name in fields:
        field = meta.get_field(name)
        assert isinstance(field, Field) and field.concrete, name
        concrete.append(field)
    casts = [f"%s::{pk.db_type(connection)}"] + [
        f"%s::{field.db_type(connection)}" for field in concrete
    ]
    row_sql = "(" + ", ".join(casts) + ")"
    names = ["pk_", *(f"c{i}" for i in range(len(concrete)))]
    quote = connection.ops.quote_name
    assignments = ", ".join(
        f"{quote(str(field.column))} = v.c{i}" for i, field in enumerate(concrete)
    )
    if len(objs) >= COPY_FROM:
        return _update_by_copy(objs, pk, concrete)
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), CHUNK):
            chunk = objs[start : start + CHUNK]
            params: list[Any] = []
            for obj in chunk:
                params.append(pk.get_db_prep_value(obj.pk, connection))
                for field in concrete:
                    value = getattr(obj, field.attname)
                    params.append(field.get_db_prep_save(value, connection))
            # Only identifiers from the model's metadata and %s placeholders are interpolated.
            sql = (
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v({', '.join(names)}) "
                f"WHERE t.{quote(str(pk.column))} = v.pk_"
            )
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated


def _update_by_copy(
    objs: Sequence[Model], pk: Field[Any, Any], fields: list[Field[Any, Any]]
) -> int:
    quote = connection.ops.quote_name
    meta = type(objs[0])._meta
    table = f"bulk_update_{uuid.uuid4().hex[:12]}"
    columns = ", ".join(
        [f"pk_ {pk.db_type(connection)}"]
        + [f"c{i} {field.db_type(connection)}" for i, field in enumerate(fields)]
    )
    names = ", ".join(["pk_", *(f"c{i}" for i in range(len(fields)))])
    assignments = ", ".join(
        f"{quote(str(field.column))} = v.c{i}" for i, field in enumerate(fields)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
        try:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row(
                        [pk.get_db_prep_value(obj.pk, connection)]
                        + [
                            field.get_db_prep_save(getattr(obj, field.attname), connection)
                            for field in fields
                        ]
                    )
            sql = (
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608
                f"FROM {table} AS v WHERE t.{quote(str(pk.column))} = v.pk_"
            )
            cursor.execute(sql)
            updated = int(cursor.rowcount)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return updated


def bulk_insert_copy(objs: Sequence[Model], *, ignore_conflicts: bool = False) -> int:
    """Insert new rows of one model, as ``bulk_create`` would (defaults and ``auto_now_add``
    applied, primary keys not set on the objects), through ``COPY`` into a temporary table and
    one ``INSERT … SELECT`` (``ON CONFLICT DO NOTHING`` with ``ignore_conflicts``); returns the
    rows inserted (below ``COPY_FROM`` rows, ``bulk_create``: how many were sent). For large
    batches: no statement with a parameter per value."""
    if not objs:
        return 0
    model = type(objs[0])
    if len(objs) < COPY_FROM:  # a few rows: one INSERT costs less than a temporary table
        return len(model._default_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts))
    meta = model._meta
    fields: list[Field[Any, Any]] = [
        f for f in meta.concrete_fields if not f.primary_key and not f.generated
    ]
    quote = connection.ops.quote_name
    table = f"bulk_insert_{uuid.uuid4().hex[:12]}"
    columns = ", ".join(f"c{i} {field.db_type(connection)}" for i, field in enumerate(fields))
    temp_names = ", ".join(f"c{i}" for i in range(len(fields)))
    target_names = ", ".join(quote(str(field.column)) for field in fields)
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
        try:
            with cursor.cursor.copy(f"COPY {table} ({temp_names}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row(
                        [
                            field.get_db_prep_save(field.pre_save(obj, True), connection)
                            for field in fields
                        ]
                    )
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({target_names}) "  # noqa: S608
                f"SELECT {temp_names} FROM {table}{conflict}"
            )
            cursor.execute(sql)
            inserted = int(cursor.rowcount)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return inserted
