"""Where one page spends its time: ``python -m bench.profile URL USER [--explain]`` (with
DATABASE_URL naming a generated portfolio) requests URL as USER through Django's test client
under cProfile and prints the slowest SQL statements, the Python functions with the most
cumulative time, and, with --explain, ``EXPLAIN (ANALYZE, BUFFERS)`` of the three slowest
statements.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    url, username = argv[0], argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    import django

    django.setup()
    # Only once Django is set up.
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(username=username))
    accept = "application/json" if url.startswith("/api/") else "text/html"
    client.get(url, HTTP_ACCEPT=accept)  # warm
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.enable()
        response = client.get(url, HTTP_ACCEPT=accept)
        profiler.disable()
        elapsed = time.perf_counter() - started
    sql_time = sum(float(q["time"]) for q in queries.captured_queries)
    print(
        f"{url} as {username}: {response.status_code}, {len(response.content):,} bytes, "
        f"{elapsed:.3f} s, {len(queries.captured_queries)} queries, {sql_time:.3f} s in SQL"
    )
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    print("\nslowest SQL:")
    for query in slowest[:6]:
        print(f"  {float(query['time']):7.3f} s  {query['sql'][:400]}")
    print("\nPython, by cumulative time:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    if "--explain" in argv:
        with connection.cursor() as cursor:
            for query in slowest[:3]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
