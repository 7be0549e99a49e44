"""German formats SRM changes from Django's (``django.conf.locale.de.formats``).

Dates read "01.12.2026" (short) and "1. Dezember 2026" (``DATE_FORMAT``); numbers "1.234,56".
ISO comes first among the input formats: a widget renders its value with the first one, and
``<input type="date">`` only accepts ISO ("2026-12-01"). German text is still accepted.
"""

SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-01' (what <input type="date"> sends)
    "%d.%m.%Y",  # '01.12.2026'
    "%d.%m.%y",  # '01.12.26'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
]
