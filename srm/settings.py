"""SRM settings: every value that differs between machines comes from the environment, here.

SRM_ENV selects the posture:
- ``production`` (default): secrets and hosts must be given; HTTPS hardening on.
- ``demo``: what ``make run`` uses — plain HTTP on localhost, secret key kept in .data/.
- ``test``: what the test suite uses (set by tests/environment.py).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Generic Django classes become subscriptable at run time (ModelAdmin[Partner]) for mypy strict.
django_stubs_ext.monkeypatch()


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SRM_ENV = env("SRM_ENV", "production")
if SRM_ENV not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"SRM_ENV must be production, demo or test, not {SRM_ENV!r}.")
PRODUCTION = SRM_ENV == "production"

DEBUG = env_bool("SRM_DEBUG", False)

SECRET_KEY = env("SRM_SECRET_KEY") or ""
if not SECRET_KEY:
    if SRM_ENV == "test":
        SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set SRM_SECRET_KEY (a long random string).")

ALLOWED_HOSTS = env_list("SRM_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set SRM_ALLOWED_HOSTS (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("SRM_CSRF_TRUSTED_ORIGINS")

# Spend, revenue and value figures are kept in one reporting currency so they add up.
SRM_REPORTING_CURRENCY = (env("SRM_REPORTING_CURRENCY", "EUR") or "EUR").upper()

# Where links in e-mails and calendar feeds point.
SRM_BASE_URL = (env("SRM_BASE_URL", "http://localhost:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "partners",
    "scorecards",
    "governance",
    "srm",
]

MIDDLEWARE = [
    # Health probes answer before the HTTPS redirect and the host check.
    "srm.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: a signed-in user sees their own language (User.language); the
    # anonymous keep LocaleMiddleware's choice (language cookie, then Accept-Language).
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After MessageMiddleware: adds queued messages to HTMX answers as an out-of-band swap.
    "core.htmx_messages.HtmxMessagesMiddleware",
    "srm.middleware.SessionTimeoutMiddleware",
    "srm.middleware.SecondFactorMiddleware",
    "core.middleware.UserTimezoneMiddleware",
    "core.middleware.DomainErrorMiddleware",
    # Text PostgreSQL cannot store (NUL, unpaired surrogates) answers 400 before any view.
    "core.input_hygiene.InputHygieneMiddleware",
    # Last, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "srm.urls"
WSGI_APPLICATION = "srm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "srm.context_processors.navigation",
            ],
            # Locale-aware money (``{{ amount|money:reporting_currency }}``) in every template.
            "builtins": ["core.templatetags.money"],
        },
    }
]

# PostgreSQL everywhere: `make run` starts an embedded server and sets DATABASE_URL.
_database_url = env("DATABASE_URL")
if not _database_url:
    if SRM_ENV == "test":
        _database_url = "postgres://postgres@127.0.0.1:5432/srm"
    else:
        raise ImproperlyConfigured(
            "Set DATABASE_URL (postgres://user:password@host:5432/name), or use `make run`, "
            "which starts an embedded PostgreSQL server for you."
        )
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Brute-force protection first: it refuses locked-out attempts before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("SRM_PASSWORD_MIN_LENGTH", "12") or 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if SRM_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: an account locks after SRM_LOGIN_FAILURE_LIMIT failures from any
# addresses, an address after SRM_LOGIN_IP_FAILURE_LIMIT failures against any accounts (one
# password tried on many), each for 15 minutes (core.sign_in).
AXES_FAILURE_LIMIT = int(env("SRM_LOGIN_FAILURE_LIMIT", "5") or 5)
SRM_LOGIN_IP_FAILURE_LIMIT = int(env("SRM_LOGIN_IP_FAILURE_LIMIT", "20") or 20)
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out account can retry after 15 minutes
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "core.sign_in.AccountAndAddressLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "core.sign_in.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the per-address count (core.sign_in)
# The client address is the peer's unless it is one of our own reverse proxies: with N trusted
# proxies, the Nth X-Forwarded-For entry from the right (optionally only while each hop is in
# SRM_TRUSTED_PROXY_IPS). 0 (default) ignores X-Forwarded-For: anyone can send one.
SRM_TRUSTED_PROXY_COUNT = int(env("SRM_TRUSTED_PROXY_COUNT", "0") or 0)
SRM_TRUSTED_PROXY_IPS = env_list("SRM_TRUSTED_PROXY_IPS")
for _network in SRM_TRUSTED_PROXY_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"SRM_TRUSTED_PROXY_IPS: {_exc}") from None

# Sessions end after SRM_SESSION_IDLE_MINUTES without a request, and SRM_SESSION_MAX_HOURS
# after sign-in at the latest (srm.middleware.SessionTimeoutMiddleware).
SRM_SESSION_IDLE_SECONDS = int(env("SRM_SESSION_IDLE_MINUTES", "30") or 30) * 60
SRM_SESSION_MAX_SECONDS = int(env("SRM_SESSION_MAX_HOURS", "12") or 12) * 60 * 60
SESSION_COOKIE_AGE = SRM_SESSION_MAX_SECONDS

# Two-factor sign-in (django-otp): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = env("SRM_TOTP_ISSUER", "SRM")
# The admin lists users' authenticators (to delete one for a user who lost phone and codes)
# without showing their keys or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Dates and numbers are formatted per language (srm/formats: short dates, and ISO first among
# the date input formats so <input type="date"> gets an ISO value in German too). Grouping
# stays off: a number in an id, URL, SVG, CSV or JSON must never get a separator.
FORMAT_MODULE_PATH = ["srm.formats"]
USE_THOUSAND_SEPARATOR = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Collected files are served by WhiteNoise in production; elsewhere straight from static/.
STATIC_ROOT = (
    Path(env("SRM_STATIC_ROOT", str(BASE_DIR / "staticfiles")) or "") if PRODUCTION else None
)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("SRM_MEDIA_ROOT", str(BASE_DIR / ".data" / "media")) or "")
# Uploaded documents, attachments and evidence go through Django's storage API. With
# SRM_S3_BUCKET set they live in S3-compatible object storage that every web and worker node
# shares (django-storages); without it on the local disk under MEDIA_ROOT (the demo, the tests,
# or one volume shared by the nodes). Downloads stream through the app, which checks access.
SRM_S3_BUCKET = env("SRM_S3_BUCKET") or ""
DEFAULT_STORAGE: dict[str, Any] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SRM_S3_BUCKET,
            "endpoint_url": env("SRM_S3_ENDPOINT_URL") or None,  # e.g. MinIO, Ceph, R2
            "region_name": env("SRM_S3_REGION") or None,
            "access_key": env("SRM_S3_ACCESS_KEY") or None,  # None: the instance's role
            "secret_key": env("SRM_S3_SECRET_KEY") or None,
            "location": env("SRM_S3_PREFIX") or "",
            "default_acl": None,  # private objects: the bucket's policy decides
            "file_overwrite": False,  # two uploads of one name keep both
            "querystring_auth": True,
        },
    }
    if SRM_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve straight from the source folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: SMTP in production; files under .data/mail in the demo; locmem in tests.
_mail_backend: str = str(
    env(
        "SRM_EMAIL_BACKEND",
        {
            "production": "django.core.mail.backends.smtp.EmailBackend",
            "demo": "django.core.mail.backends.filebased.EmailBackend",
            "test": "django.core.mail.backends.locmem.EmailBackend",
        }[SRM_ENV],
    )
)
_mail_options: dict[str, object] = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env("SRM_EMAIL_HOST", "localhost"),
        "port": int(env("SRM_EMAIL_PORT", "25") or 25),
        "username": env("SRM_EMAIL_HOST_USER", "") or "",
        "password": env("SRM_EMAIL_HOST_PASSWORD", "") or "",
        "use_tls": env_bool("SRM_EMAIL_USE_TLS", False),
        # Seconds a mail-server connect or reply may take before the outbox backs off.
        "timeout": float(env("SRM_EMAIL_TIMEOUT", "10") or 10),
    }
elif _mail_backend.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": str(BASE_DIR / ".data" / "mail")}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("SRM_DEFAULT_FROM_EMAIL", "SRM <srm@localhost>")

# HTTPS hardening: on in production; `manage.py check --deploy` passes with no warnings.
_https = env_bool("SRM_HTTPS", PRODUCTION)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (Django's own): scripts and styles only from our origin. The nonce
# is for the Django admin's one inline <style>; no template of ours needs it. Pico's icons
# are data: SVGs. SRM_CSP_REPORT_ONLY sends the policy as report-only (for a roll-out),
# SRM_CSP_REPORT_URI adds where browsers report violations.
_csp: dict[str, list[str] | str] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env("SRM_CSP_REPORT_URI"):
    _csp["report-uri"] = str(env("SRM_CSP_REPORT_URI"))
SRM_CSP_REPORT_ONLY = env_bool("SRM_CSP_REPORT_ONLY", False)
SECURE_CSP = {} if SRM_CSP_REPORT_ONLY else _csp
SECURE_CSP_REPORT_ONLY = _csp if SRM_CSP_REPORT_ONLY else {}

# Celery on Redis. Without REDIS_URL the demo uses Kombu's file-system transport under .data/,
# so a real worker and beat still run with no server to install.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# Every broker (and result-backend) connection gives up after this many seconds, so a Redis
# that refuses, or accepts and then stays silent (frozen), never hangs a request or a probe.
SRM_BROKER_TIMEOUT = float(env("SRM_BROKER_TIMEOUT", "1") or 1)
# After a failed publish, a process leaves the broker alone this long (the outbox sweep that
# beat schedules sends what was not queued).
SRM_BROKER_QUIET_SECONDS = int(env("SRM_BROKER_QUIET_SECONDS", "30") or 30)
_broker_dir = BASE_DIR / ".data" / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        # A job taken by a worker that was killed goes back to the queue after this long.
        # It must exceed a task's time limit (300 s) plus its longest retry wait (240 s,
        # core.jobs), or Redis would hand a running or waiting task out twice.
        "visibility_timeout": 600,
        "socket_timeout": SRM_BROKER_TIMEOUT,
        "socket_connect_timeout": SRM_BROKER_TIMEOUT,
        "socket_keepalive": True,
        "retry_on_timeout": False,
        "health_check_interval": 10,
    }
    if REDIS_URL
    else {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        # Kombu writes its exchange tables to ./control unless told otherwise.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = SRM_BROKER_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from beat or a worker retries briefly; the request path does not retry at all.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# No result backend is used (results are ignored); should one be configured on Redis, it
# gets the same short timeouts.
CELERY_REDIS_SOCKET_TIMEOUT = SRM_BROKER_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = SRM_BROKER_TIMEOUT
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 10
CELERY_TASK_DEFAULT_QUEUE = env("SRM_CELERY_QUEUE", "srm") or "srm"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".data" / "celerybeat-schedule")
# The transactional outbox (core/outbox.py): e-mails and deferred jobs written with the change.
SRM_OUTBOX_SWEEP_SECONDS = float(env("SRM_OUTBOX_SWEEP_SECONDS", "60") or 60)
# How long a sweep holds the rows it claimed; a killed sender's rows are sent again after it.
SRM_OUTBOX_LEASE_SECONDS = int(env("SRM_OUTBOX_LEASE_SECONDS", "60") or 60)
SRM_OUTBOX_BATCH = int(env("SRM_OUTBOX_BATCH", "100") or 100)
SRM_OUTBOX_TIME_BUDGET = int(env("SRM_OUTBOX_TIME_BUDGET", "200") or 200)
SRM_OUTBOX_MAX_ATTEMPTS = int(env("SRM_OUTBOX_MAX_ATTEMPTS", "10") or 10)
SRM_OUTBOX_BACKOFF_SECONDS = int(env("SRM_OUTBOX_BACKOFF_SECONDS", "30") or 30)
SRM_OUTBOX_ALERT_AGE_SECONDS = int(env("SRM_OUTBOX_ALERT_AGE_SECONDS", "900") or 900)
# Bearer token for GET /operations/outbox.json (monitoring without a session); unset: only
# signed-in administrators.
SRM_MONITORING_TOKEN = env("SRM_MONITORING_TOKEN") or ""

CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Send what the outbox holds: e-mails whose wake-up was lost, retries, stale claims.
    "core-outbox-sweep": {
        "task": "core.tasks.outbox_sweep",
        "schedule": SRM_OUTBOX_SWEEP_SECONDS,
        # Sweeps queued while no worker ran are dropped, not run back to back.
        "options": {"expires": SRM_OUTBOX_SWEEP_SECONDS},
    },
    # Owners are reminded before a scorecard period ends with KPI values missing.
    "srm-kpi-data-due-reminders": {"task": "srm.tasks.kpi_data_due_reminders", "schedule": 86400},
    "partners-agreement-reminders": {
        "task": "partners.tasks.agreement_reminders",
        "schedule": 24 * 60 * 60,
    },
    "governance-escalations-advance": {
        "task": "governance.tasks.escalations_advance",
        "schedule": 15 * 60,
    },
    "governance-reminders": {"task": "governance.tasks.governance_reminders", "schedule": 60 * 60},
    "governance-meetings-generate": {
        "task": "governance.tasks.meetings_generate_all",
        "schedule": 24 * 60 * 60,
    },
    # Every partner's at-risk verdict, for what time alone changes (a meeting due, not held);
    # the writes that change its inputs refresh their partners at once (core.risk_signals).
    "governance-risk-signals-refresh": {
        "task": "governance.tasks.risk_signals_refresh",
        "schedule": 24 * 60 * 60,
    },
    # Close the scorecard periods that ended and refresh the portfolio rollups.
    # Open health-survey rounds on the playbooks' frequency and remind both sides.
    "scorecards-health-surveys": {
        "task": "scorecards.tasks.health_surveys_schedule",
        "schedule": 24 * 60 * 60,
    },
    # After periods close: suggest improvement plans for critical or twice-weak scores.
    "governance-improvement-plans-suggest": {
        "task": "governance.tasks.improvement_plans_suggest",
        "schedule": 60 * 60,
    },
    # After periods close: list the incentives earned, for approval.
    "scorecards-incentives-evaluate": {
        "task": "scorecards.tasks.incentives_evaluate",
        "schedule": 60 * 60,
    },
    "scorecards-close-due-periods": {
        "task": "scorecards.tasks.scorecards_close_due_periods",
        "schedule": 60 * 60,
    },
}

# DRF's browsable API (HTML pages with forms) for internal users; JSON for everyone else.
SRM_BROWSABLE_API = env_bool("SRM_BROWSABLE_API", not PRODUCTION)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated request answers 401 with WWW-Authenticate: Bearer.
        "core.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter's backend with every related filter scoped to the user's partners.
        "partners.api_filters.ScopedFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # The browsable HTML page only for internal users where SRM_BROWSABLE_API allows it.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api_negotiation.ApiContentNegotiation",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SRM API",
    "DESCRIPTION": "Partners, governance and scorecards of strategic supplier relationships.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Scorecard periods and innovation challenges share the open/closed choice set.
    "ENUM_NAME_OVERRIDES": {"OpenClosedStatusEnum": "scorecards.models.PeriodStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Partners and agreements answer suppliers with fewer fields (partners/api/schema.py).
        "partners.api.schema.supplier_shapes",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("SRM_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
