"""The one spreadsheet importer (issue 12): partners and spend, contacts, KPI measurements.

A *kind* of import is an :class:`ImportSpec` an app registers (``partners.importing``,
``scorecards.importing``); this module runs every kind the same way, never holding the file
in memory:

1. **Read** the file as a stream (``csv`` reader, openpyxl ``read_only``), row by row, and
   let the kind *collect* the keys its rows name (legal names, user names, KPI codes …).
2. **Look up** those keys in bulk: one query per lookup kind, whatever the number of rows.
3. **Check** every row against what was looked up (a second pass, over the rows the first
   one spooled as CSV to memory or a temporary file, so an XLSX file is parsed once); errors are
   ``(row, column, message)``, the header being row 1. The kind keeps only what it will
   write, merged (a partner's fields, its spend lines), not the rows.
4. **Write** — only when no row has an error — with bulk operations inside one transaction
   that also holds the kind's advisory lock, then refresh the flags of the partners touched.

Large files run as two background jobs through the outbox (:func:`import_job_start`, then
:func:`import_job_confirm`): the worker reports its progress into the :class:`ImportJob`
row (through a connection of its own, so the page sees it while the write transaction is
still open) and the page polls it. Small files may still be checked and written in the
request (:func:`import_run`).
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, cast

from django.conf import settings
from django.core.files.base import File
from django.db import connections, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import FieldErrors
from core.locks import try_advisory_xact_lock
from core.models import Actor, ImportJob, ImportStatus, User
from core.outbox import job_defer
from core.roles import Capability, require
from core.spreadsheets import SpreadsheetError, _csv_rows, _xlsx_rows

logger = logging.getLogger(__name__)

# Rows one file may hold: the readers stop at the next one (an XLSX file is refused first by
# the size its sheet claims), so a hostile file never costs more than this.
MAX_ROWS = 100_000
# Largest upload taken: 100,000 rows of a wide CSV stay well below it.
MAX_BYTES = 50 * 1024 * 1024
# The errors a job keeps to show (the count is always exact).
MAX_ERRORS_KEPT = 1000
# Rows kept in memory between the passes up to this size, then in a temporary file.
SPOOL_MEMORY = 4 * 1024 * 1024
# How often (in rows) a worker reports its progress.
PROGRESS_EVERY = 2000

VALIDATE_TASK = "core.tasks.import_validate"
WRITE_TASK = "core.tasks.import_write"


@dataclass(frozen=True)
class RowError:
    """One problem, named by the spreadsheet's row number (0: the file) and column."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class ImportBusyError(Exception):
    """Another import of the same kind (and target) holds its lock."""


type Report = Callable[[str, int, int], None]
# Opens the file for a streaming pass.
type Opener = Callable[[], AbstractContextManager[IO[bytes]]]


def upload_opener(upload: IO[bytes]) -> Opener:
    """An :data:`Opener` for a file already open (an upload): each pass reads it from the
    start, and the engine does not close it."""

    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        upload.seek(0)
        yield upload

    return opener


class ImportSession:
    """One run of a kind over one file; subclasses keep what they look up and will write."""

    def __init__(self, actor: Actor, params: Mapping[str, Any]) -> None:
        self.actor = actor
        self.params = params
        self.errors: list[RowError] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def header(self, columns: list[str]) -> None:
        """Report what is wrong with the header row (row 1) beyond unknown columns."""

    def collect(self, number: int, row: Mapping[str, str]) -> None:
        """Pass 1: note the keys ``row`` names, for :meth:`load`. No query."""

    def load(self) -> None:
        """Look up everything the collected keys name: one query per lookup kind."""

    def check(self, number: int, row: Mapping[str, str]) -> None:
        """Pass 2: report the row's errors through :meth:`error`; keep what it will write."""

    def write(self, report: Callable[[int, int], None]) -> dict[str, int]:
        """Write everything kept, in bulk (called inside the transaction, only without
        errors); returns the counts to show. ``report(done, total)`` may show progress."""
        return {}

    def planned(self) -> dict[str, int]:
        """What :meth:`write` would write, after a clean check (for the preview)."""
        return {}


class ImportSpec:
    """A kind of import: its columns, who may run it and its session class."""

    kind: ClassVar[str]
    label: ClassVar[Any]
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]] = ()
    capability: ClassVar[Capability]
    session_class: ClassVar[type[ImportSession]]

    def authorize(self, actor: Actor, params: Mapping[str, Any]) -> None:
        """Refuse (PermissionDeniedError) an actor who may not import into ``params``."""
        require(actor, self.capability)

    def lock_name(self, params: Mapping[str, Any]) -> str:
        return f"import:{self.kind}"

    def busy_message(self) -> str:
        return _(
            "Another import of this kind is running; nothing was written. "
            "Import this file again when it has finished."
        )

    def done_url(self, params: Mapping[str, Any]) -> str:
        """Where the user goes after a successful import."""
        return "/"

    def upload_url(self, params: Mapping[str, Any]) -> str:
        """The page to upload another file of this kind."""
        return "/"

    def describe(self, counts: Mapping[str, int]) -> str:
        """The written (or planned) counts in a sentence."""
        return ", ".join(f"{k}: {v}" for k, v in counts.items())


SPECS: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    """Make ``spec`` known to the jobs (called when the owning app's module is imported)."""
    SPECS[spec.kind] = spec
    return spec


def spec_for(kind: str) -> ImportSpec:
    return SPECS[kind]


# --------------------------------------------------------------------------- reading


def stream_rows(
    name: str, stream: IO[bytes], *, required: tuple[str, ...] = (), max_rows: int = MAX_ROWS
) -> tuple[list[str], Generator[tuple[int, dict[str, str]]]]:
    """The header (lower-cased) and an iterator of the non-blank data rows as ``(row number,
    {column: text})``, read as a stream; SpreadsheetError for an unreadable file, a missing
    ``required`` column or a file over ``max_rows`` rows (raised when that row is reached:
    nothing beyond it is read)."""
    lower = name.lower()
    # Both readers are generators: closing one lets go of the file at once.
    raw: Generator[list[str]]
    if lower.endswith(".xlsx"):
        raw = cast(Generator[list[str]], _xlsx_rows(stream, max_rows))
    elif lower.endswith(".csv"):
        raw = cast(Generator[list[str]], _csv_rows(stream, max_rows))
    else:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    try:
        header = [cell.strip().lower() for cell in next(raw)]
    except StopIteration:
        raise SpreadsheetError(_("The file is empty.")) from None
    missing = [column for column in required if column not in header]
    if missing:
        raw.close()  # the reader lets go of the file now, not when it is collected
        raise SpreadsheetError(
            _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )

    def rows() -> Generator[tuple[int, dict[str, str]]]:
        try:
            yield from _numbered(raw, header, max_rows)
        finally:
            raw.close()

    return header, rows()


def _numbered(
    raw: Iterator[list[str]], header: list[str], max_rows: int
) -> Iterator[tuple[int, dict[str, str]]]:
    for number, cells in enumerate(raw, start=2):
        if number - 1 > max_rows:
            raise SpreadsheetError(
                _("Import at most %(rows)s rows at a time.")
                % {"rows": number_format(max_rows, force_grouping=True)}
            )
        if not any(cell.strip() for cell in cells):
            continue
        yield (
            number,
            {
                column: (cells[i].strip() if i < len(cells) else "")
                for i, column in enumerate(header)
            },
        )


# --------------------------------------------------------------------------- running


@dataclass
class ImportOutcome:
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    written: bool = False


def _no_report(phase: str, done: int, total: int) -> None:
    return None


def import_run(
    *,
    actor: Actor,
    kind: str,
    params: Mapping[str, Any],
    name: str,
    open_file: Opener,
    write: bool,
    report: Report = _no_report,
) -> ImportOutcome:
    """Check every row of the file ``open_file()`` gives (read once, as a stream) and,
    with ``write`` and no error, write them all in one transaction under the kind's lock.
    Any error (a row's, the file's, another import holding the lock) writes nothing."""
    spec = spec_for(kind)
    spec.authorize(actor, params)
    if write:
        with transaction.atomic():
            if not try_advisory_xact_lock(spec.lock_name(params)):
                return ImportOutcome(errors=[RowError(0, "", spec.busy_message())], error_count=1)
            outcome = _check(spec, actor, params, name, open_file, report)
            session = outcome.session
            if outcome.result.errors or session is None:
                transaction.set_rollback(True)
                return outcome.result
            report("writing", 0, 1)
            counts = session.write(lambda d, t: report("writing", d, t))
            if session.errors:  # found while writing (a period closed meanwhile)
                transaction.set_rollback(True)
                return _finish(outcome.result, session, outcome.result.rows).result
            outcome.result.counts = counts
            outcome.result.written = True
            return outcome.result
    outcome = _check(spec, actor, params, name, open_file, report)
    if outcome.session is not None and not outcome.result.errors:
        outcome.result.counts = outcome.session.planned()
    return outcome.result


@dataclass
class _Checked:
    result: ImportOutcome
    session: ImportSession | None


def _check(
    spec: ImportSpec,
    actor: Actor,
    params: Mapping[str, Any],
    name: str,
    open_file: Opener,
    report: Report,
) -> _Checked:
    result = ImportOutcome()
    session = spec.session_class(actor, params)
    # The first pass copies the rows, as CSV, to a spool (memory up to a few MB, then a
    # temporary file) that the second pass reads: an XLSX file is parsed once, not twice.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, mode="w+", newline="") as spool:
        try:
            with open_file() as stream:
                header, rows = stream_rows(name, stream, required=spec.required)
                with closing(rows):
                    session.header(header)
                    unknown = [c for c in header if c and c not in spec.columns]
                    for column in unknown:
                        session.error(1, column, _("Unknown column."))
                    if session.errors:
                        return _finish(result, session, 0)
                    writer = csv.writer(spool)
                    count = 0
                    for number, row in rows:
                        session.collect(number, row)
                        writer.writerow([number, *(row[c] for c in header)])
                        count += 1
                        if count % PROGRESS_EVERY == 0:
                            report("reading", count, 0)
        except SpreadsheetError as exc:
            session.errors.append(RowError(0, "", exc.message))
            return _finish(result, session, 0)
        if count == 0:
            session.error(0, "", _("The file has no data rows."))
            return _finish(result, session, 0)
        report("checking", 0, count)
        session.load()
        spool.seek(0)
        for done, cells in enumerate(csv.reader(spool), start=1):
            session.check(int(cells[0]), dict(zip(header, cells[1:], strict=True)))
            if done % PROGRESS_EVERY == 0:
                report("checking", done, count)
        report("checking", count, count)
    return _finish(result, session, count)


def _finish(result: ImportOutcome, session: ImportSession, rows: int) -> _Checked:
    result.rows = rows
    result.error_count = len(session.errors)
    result.errors = sorted(session.errors, key=lambda e: e.row)[:MAX_ERRORS_KEPT]
    return _Checked(result, session)


# --------------------------------------------------------------------------- jobs


def _capability_check(actor: Actor, kind: str, params: Mapping[str, Any]) -> ImportSpec:
    spec = spec_for(kind)
    spec.authorize(actor, params)
    return spec


def import_job_start(
    *, actor: User, kind: str, params: Mapping[str, Any], upload: File[bytes]
) -> ImportJob:
    """Store the upload (default storage), create its job and have a worker check it once
    this transaction commits (through the outbox: a broker outage delays it, never loses
    it). Refuses a file over :data:`MAX_BYTES` before storing anything."""
    _capability_check(actor, kind, params)
    if upload.size is not None and upload.size > MAX_BYTES:
        raise FieldErrors(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024}]}
        )
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith((".csv", ".xlsx")):
        raise FieldErrors({"file": [_("Upload a .csv or .xlsx file.")]})
    with transaction.atomic():
        job = ImportJob(kind=kind, params=dict(params), filename=name, created_by=actor)
        job.file.save(name, upload, save=False)
        job.save()
        job_defer(VALIDATE_TASK, args=[job.pk])
    return job


def import_job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Have a worker write a checked job (all or nothing); only its uploader may."""
    _capability_check(actor, job.kind, job.params)
    with transaction.atomic():
        updated = ImportJob.objects.filter(
            pk=job.pk, created_by=actor, status=ImportStatus.READY
        ).update(status=ImportStatus.WRITING, rows_done=0, rows_total=0)
        if not updated:
            raise FieldErrors({"job": [_("This import cannot be confirmed (any more).")]})
        job_defer(WRITE_TASK, args=[job.pk])
    job.refresh_from_db()
    return job


class _Progress:
    """Writes a job's progress through a connection of its own (autocommit), so the page
    sees it while the worker's write transaction is still open."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.connection = connections.create_connection("default")

    def __call__(self, phase: str, done: int, total: int) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE core_importjob SET rows_done = %s, rows_total = %s, "
                    "message = %s, updated_at = now() WHERE id = %s",
                    [done, total, phase, self.job_id],
                )
        except Exception:  # progress is a courtesy: never fail the import for it
            logger.exception("Import job %s: progress not recorded.", self.job_id)

    def close(self) -> None:
        self.connection.close()


def _open(job: ImportJob) -> Opener:
    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        # A fresh handle per pass: the storage's file object, read as a stream.
        with job.file.storage.open(job.file.name or "", "rb") as handle:
            yield handle

    return opener


def import_job_run(job_id: int, *, write: bool) -> ImportJob | None:
    """The worker's part: check (``write`` False) or check and write a job, recording its
    progress and outcome. Idempotent: a job not in the expected state is left alone."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    expected = ImportStatus.WRITING if write else ImportStatus.QUEUED
    if job is None or job.status not in (expected, ImportStatus.CHECKING):
        return job
    if not write:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    progress = _Progress(job.pk)
    try:
        outcome = import_run(
            actor=job.created_by,
            kind=job.kind,
            params=job.params,
            name=job.filename,
            open_file=_open(job),
            write=write,
            report=progress,
        )
    except Exception as exc:
        logger.exception("Import job %s failed.", job.pk)
        job.status = ImportStatus.FAILED
        job.message = _("The import failed; nothing was written (%(error)s).") % {
            "error": type(exc).__name__
        }
        job.save(update_fields=["status", "message", "updated_at"])
        _discard_file(job)
        return job
    finally:
        progress.close()
    job.rows = outcome.rows
    job.error_count = outcome.error_count
    job.errors = [[e.row, e.column, e.message] for e in outcome.errors]
    job.counts = outcome.counts
    job.message = ""
    if outcome.errors:
        job.status = ImportStatus.INVALID
    elif write:
        job.status = ImportStatus.DONE
    else:
        job.status = ImportStatus.READY
    job.rows_done = job.rows_total = outcome.rows
    job.save()
    if job.status in (ImportStatus.INVALID, ImportStatus.DONE):
        _discard_file(job)
    return job


def _discard_file(job: ImportJob) -> None:
    if job.file and not getattr(settings, "SRM_IMPORT_KEEP_FILES", False):
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("Import job %s: the stored file could not be removed.", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(file="")


# Labels for the pages (marked here, shown by templates/imports/).
PHASES = {
    "reading": gettext_lazy("Reading the file"),
    "checking": gettext_lazy("Checking every row"),
    "writing": gettext_lazy("Writing"),
}
