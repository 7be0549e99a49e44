"""The German message catalogue: ``locale/de/LC_MESSAGES/django.po`` is committed, the ``.mo``
the app reads is compiled from it wherever SRM runs (``make install``/``make run``,
``srm.launch``, the test session, the Docker build)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class GettextMissing(RuntimeError):
    """msgfmt (GNU gettext) is not installed."""


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``.po`` under ``locale_dir`` whose ``.mo`` is missing or older; the
    compiled files. Raises GettextMissing when a compile is due and msgfmt is missing."""
    compiled = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            raise GettextMissing(
                f"Cannot compile {po}: GNU gettext's msgfmt is missing (apt-get install gettext)."
            )
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603
        compiled.append(mo)
    return compiled


if __name__ == "__main__":  # `python -m core.catalogue` (make install/run): no Django settings
    for compiled in compile_catalogues():
        print(f"compiled {compiled.relative_to(LOCALE_DIR.parent)}")
