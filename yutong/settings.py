"""Settings for yutong, read from the environment.

Development defaults need no set-up (SQLite under var/, a development key). With
YUTONG_DEBUG=0 the production settings apply: every secret must come from the environment
and the security flags that `yutong check --deploy` looks for are on.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YUTONG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("YUTONG_DEBUG", True)
# Django's English technical 404/500 pages only when a developer asks; Chinese pages otherwise.
DEBUG_PAGES = DEBUG and env_bool("YUTONG_DEBUG_PAGES", False)
# The CJK TrueType font embedded in every printed PDF (Debian fonts-wqy-zenhei).
PDF_FONT_PATH = os.environ.get("YUTONG_PDF_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("YUTONG_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("YUTONG_SECRET_KEY must be set when YUTONG_DEBUG=0")

# Personal data (resident ID and phone numbers) is encrypted with this key; the keyed
# hash used for exact lookups is derived from it too. Losing it makes the data unreadable.
_DEV_FIELD_KEY = "dev-only-field-key-never-use-in-production"
FIELD_ENCRYPTION_KEY = os.environ.get("YUTONG_FIELD_KEY", _DEV_FIELD_KEY if DEBUG else "")
if not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured("YUTONG_FIELD_KEY must be set when YUTONG_DEBUG=0")

ALLOWED_HOSTS = env_list("YUTONG_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("YUTONG_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "yutong.core",
    "yutong.registry",
    "yutong.disputes",
    "yutong.inspection",
    "yutong.wages",
    "yutong.relations",
    "yutong.harmony",
    "yutong.indicators",
    "yutong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yutong.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yutong.core.middleware.HtmxLoginRedirectMiddleware",
    "yutong.core.middleware.SecurityHeadersMiddleware",
    "yutong.core.middleware.RefuseNulMiddleware",
    "yutong.core.errors.ErrorPagesMiddleware",
]

ROOT_URLCONF = "yutong.urls"
WSGI_APPLICATION = "yutong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yutong.core.context_processors.shell",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'yutong.sqlite3'}",
        conn_max_age=int(os.environ.get("YUTONG_DB_CONN_MAX_AGE", "60")),
        # A kept connection is tested before a request uses it, so after a database restart
        # the first request on each web worker reconnects instead of answering 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker and the web process use the file at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The indicator aggregates look expensive to the planner, which then spends more time
    # JIT-compiling them (600 ms on the city data) than running them; our queries are short.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"


# Rate limits, lockout-free caches of unit subtrees and holiday notices live here. One process
# can use its own memory; several (gunicorn workers, the task worker) must share Redis, or each
# would keep its own counts. Redis is an accelerator, not a dependency: while it cannot be
# reached, each process falls back to its own memory (`yutong/core/cache.py`), and a server that
# does not answer costs at most the socket timeouts below.
def cache_config(redis_url: str | None) -> dict:
    if not redis_url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "BACKEND": "yutong.core.cache.FallbackRedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": "yutong",
        "RETRY_SECONDS": int(os.environ.get("YUTONG_REDIS_RETRY_SECONDS", "30")),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


CACHES = {"default": cache_config(os.environ.get("YUTONG_REDIS_URL"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["yutong.core.auth.LockoutAwareBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The password policy of 等保 level 3 (core/passwords.py): 10 characters or more, three of the four
# character classes, not the username, not one of the last 5 passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "yutong.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yutong.core.passwords.CharacterClassesValidator"},
    {"NAME": "yutong.core.passwords.NotUsernameValidator"},
    {"NAME": "yutong.core.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]

# Failed logins: this many within the window, for one account from one address, lock the account
# for that address for the window; this many from one address, whatever the accounts, throttle
# the address.
LOGIN_FAILURE_LIMIT = int(os.environ.get("YUTONG_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_LIMIT = int(os.environ.get("YUTONG_LOGIN_ADDRESS_LIMIT", "20"))
LOGIN_FAILURE_WINDOW = timedelta(minutes=int(os.environ.get("YUTONG_LOGIN_WINDOW_MINUTES", "15")))

# API tokens end this many days after they were issued.
TOKEN_DAYS = int(os.environ.get("YUTONG_TOKEN_DAYS", "30"))
# The issuer shown in authenticator apps next to the account name.
OTP_TOTP_ISSUER = "渝你同行"

# Idle sessions end after this many seconds; each request renews the session.
SESSION_COOKIE_AGE = int(os.environ.get("YUTONG_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("vendor", VAR_DIR / "vendor")]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. The UI loads only its own scripts and styles (no CDN, no inline script).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'"
)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("YUTONG_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("YUTONG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("YUTONG_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "yutong.core.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "yutong.core.drf.NulRefusingJSONParser",
        "yutong.core.drf.NulRefusingFormParser",
        "yutong.core.drf.NulRefusingMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "yutong.core.drf.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["yutong.core.drf.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yutong.core.drf.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
# The API's schema and its Swagger page describe every endpoint: in production only signed-in
# users read them, unless the operator opens them on purpose.
API_DOCS_PUBLIC = env_bool("YUTONG_API_DOCS_PUBLIC", DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "yutong API",
    "DESCRIPTION": "渝你同行 — harmonious labour relations platform of Chongqing",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["yutong.core.drf.ApiDocsPermission"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "yutong.core.drf.allow_empty_query_values",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or "scope" of their own: give each enum its own name.
    "ENUM_NAME_OVERRIDES": {
        "OrgUnitKindEnum": "yutong.core.models.OrgUnit.Kind",
        "IndicatorKindEnum": "yutong.indicators.models.Indicator.Kind",
        "CollectiveContractKindEnum": "yutong.relations.models.ContractKind",
        "CollectiveContractScopeEnum": "yutong.relations.models.Scope",
        "HarmonyEnrollmentScopeEnum": "yutong.harmony.models.HarmonyEnrollment.Scope",
        "ComplianceGradeEnum": "yutong.inspection.models.Grade",
        "TripartiteBodyEnum": "yutong.relations.models.Body",
        "EnterpriseStatusEnum": "yutong.registry.choices.EnterpriseStatus",
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("YUTONG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Imports above this many rows are checked and committed by the background worker.
# The first day from which the stock indicators' counts are kept day by day
# (indicators/ledger.py); values as of an earlier day are computed from the records.
INDICATOR_COUNTS_FROM = date.fromisoformat(os.environ.get("YUTONG_COUNTS_FROM", "2024-01-01"))
IMPORT_BACKGROUND_THRESHOLD = int(os.environ.get("YUTONG_IMPORT_BACKGROUND_ROWS", "2000"))
# Upload limits, refused before a sheet is parsed: size of an import sheet, its data rows, the
# size of an .xls/.ods (rows not countable without parsing) still checked in the request, and
# the size of an evaluation document.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("YUTONG_IMPORT_MAX_MB", "20")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("YUTONG_IMPORT_MAX_ROWS", "100000"))
IMPORT_SYNC_MAX_BYTES = int(os.environ.get("YUTONG_IMPORT_SYNC_MAX_KB", "256")) * 1024
# An .xlsx is a zip: its parts may not unpack to more than this in all (a decompression bomb is
# refused before anything is parsed), nor its first sheet reach past this many columns.
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("YUTONG_IMPORT_MAX_UNZIPPED_MB", "300")) * 1024**2
IMPORT_MAX_COLUMNS = int(os.environ.get("YUTONG_IMPORT_MAX_COLUMNS", "200"))
DOCUMENT_MAX_UPLOAD_BYTES = int(os.environ.get("YUTONG_DOCUMENT_MAX_MB", "20")) * 1024 * 1024
# A background check or commit holds a lease this long (renewed as rows are checked); past it
# the run is taken back and queued again, at most IMPORT_MAX_ATTEMPTS runs in all.
IMPORT_LEASE_SECONDS = int(os.environ.get("YUTONG_IMPORT_LEASE_SECONDS", "600"))
IMPORT_MAX_ATTEMPTS = int(os.environ.get("YUTONG_IMPORT_MAX_ATTEMPTS", "3"))
# `yutong clean_uploads`: files no row names are deleted after this long; interrupted imports
# nobody retried end (their sheet deleted) after IMPORT_RETRY_HOURS.
UPLOAD_ORPHAN_GRACE = timedelta(hours=1)
IMPORT_RETRY_HOURS = int(os.environ.get("YUTONG_IMPORT_RETRY_HOURS", "24"))
# A single Excel export stops at this many rows; narrower filters are asked for.
EXPORT_MAX_ROWS = int(os.environ.get("YUTONG_EXPORT_MAX_ROWS", "200000"))
# 站内信 also leave through these channels after their transaction commits (dotted paths to
# classes with ``deliver(message)``). A real SMS or government-platform gateway is configured
# here; the default only logs that a message would leave.
YUTONG_MESSAGE_CHANNELS = env_list("YUTONG_MESSAGE_CHANNELS", "yutong.core.inbox.LoggingChannel")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "yutong.core.logging.MaskPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("YUTONG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
