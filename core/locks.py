"""PostgreSQL advisory locks: one run at a time of work that must not overlap.

Two rebuilds of the portfolio rollups at once used to collide (the second one's insert hit
the first one's rows). A transaction-level advisory lock makes the second wait for the
first to commit, then rebuild from what is committed: no error, no duplicate, nothing lost.
"""

from __future__ import annotations

import hashlib

from django.db import connection


def lock_id(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (PostgreSQL's advisory lock key space)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def advisory_xact_lock(name: str) -> None:
    """Wait until no other transaction holds the lock ``name``, then hold it until this
    transaction ends. Call it first thing inside ``transaction.atomic()``."""
    if not connection.in_atomic_block:
        raise RuntimeError("advisory_xact_lock() needs a transaction: it is released at commit.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id(name)])


def try_advisory_xact_lock(name: str) -> bool:
    """Take the lock ``name`` for this transaction if nobody holds it; never wait."""
    if not connection.in_atomic_block:
        raise RuntimeError("try_advisory_xact_lock() needs a transaction.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id(name)])
        row = cursor.fetchone()
    return bool(row and row[0])
