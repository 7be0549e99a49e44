"""Import of partners and annual spend from CSV/XLSX (SPEC 7), in the request: the API and
small uploads of the import page. Larger files run as background jobs (core.importing).

Every row is checked first by the one importer (``core.importing`` with the ``partners`` kind
of ``partners.importing``: a streaming reader, one query per lookup kind, bulk writes);
errors name the row (as numbered in the spreadsheet, the header being row 1) and the column.
Nothing is written unless every row is valid, and the writes run in one transaction that
holds the partner import's lock (a second import at the same time is refused, not half-done).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core.importing import MAX_BYTES, RowError, import_run, upload_opener
from core.models import Actor
from core.roles import Capability, require
from partners.importing import PARTNER_COLUMNS, PARTNERS

COLUMNS = PARTNER_COLUMNS
BUSY_MESSAGE = (
    "Another partner import is running; nothing was written. "
    "Import this file again when it has finished."
)
__all__ = ["BUSY_MESSAGE", "COLUMNS", "ImportResult", "RowError", "partner_import"]


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    spend: int = 0


def partner_import(*, actor: Actor, upload: UploadedFile[bytes]) -> ImportResult:
    """Validate every row, then import all of them in one transaction, or none.

    Refuses files over the importer's size limit or not readable as a table; every row error
    (named by row and column) is returned in the result, and then nothing is written.
    """
    require(actor, Capability.EDIT_PARTNERS)
    result = ImportResult()
    if upload.size is not None and upload.size > MAX_BYTES:
        message = _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024}
        result.errors.append(RowError(0, "", message))
        return result
    outcome = import_run(
        actor=actor,
        kind=PARTNERS.kind,
        params={},
        name=upload.name or "",
        open_file=upload_opener(upload),
        write=True,
    )
    result.errors = outcome.errors
    if outcome.written:
        result.created = outcome.counts.get("created", 0)
        result.updated = outcome.counts.get("updated", 0)
        result.spend = outcome.counts.get("spend", 0)
    return result
