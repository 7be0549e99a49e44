"""English formats SRM changes from Django's: short dates as "1 Dec 2026" (as the pages always
showed them). Everything else is Django's (``django.conf.locale.en.formats``)."""

SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
