"""Time zones for display: the one tested conversion of an instant into a user's wall time.

Pure functions, no ORM. Lifted from governance/cadence.py (which re-exports them) so that
the base layer can render a reminder's time in its recipient's zone when the e-mail is sent.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def get_zone(tz_name: str) -> ZoneInfo:
    """Return the IANA zone ``tz_name``; unknown names raise ``ValueError``.

    ``ZoneInfoNotFoundError`` is a ``KeyError``; callers validating user input expect a
    ``ValueError`` like every other invalid value.
    """
    try:
        return ZoneInfo(tz_name)
    # A directory ("Europe") or an over-long name surface as OSError from the zone lookup.
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"Unknown time zone: {tz_name!r}.") from exc


def is_valid_tz_name(tz_name: str) -> bool:
    """True when ``tz_name`` is a known IANA time-zone name."""
    try:
        get_zone(tz_name)
    except ValueError:
        return False
    return True


def require_aware(value: datetime, name: str) -> None:
    """Refuse a naive datetime: an instant without a zone cannot be shown in anyone's zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime.")


def to_user_local(dt: datetime, user_tz_name: str) -> datetime:
    """Express the aware instant ``dt`` in the user's time zone for display.

    The instant is unchanged; only the wall time differs (09:00 Europe/Berlin is 03:00
    America/New_York, but 04:00 in the weeks where the US is already on summer time and
    Europe is not).
    """
    require_aware(dt, "dt")
    return dt.astimezone(get_zone(user_tz_name))
