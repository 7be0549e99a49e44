"""Run every benchmark against a throw-away database ``srm_bench`` on the configured server.

Usage: ``SRM_ENV=test python -m bench.run`` (``make bench``). The database is created,
migrated, used and dropped again; the server is the one ``DATABASE_URL`` names (default
``postgres://postgres@127.0.0.1:5432``).
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DB = "srm_bench"


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _admin(sql: str) -> None:
    with psycopg.connect(_server_url(), autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    os.environ.setdefault("SRM_ENV", "test")
    server = urlsplit(_server_url())
    os.environ["DATABASE_URL"] = urlunsplit(server._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    _admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin(f"CREATE DATABASE {BENCH_DB}")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from bench import period_close

        period_close.main()
    finally:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
