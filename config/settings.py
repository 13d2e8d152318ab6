"""MotCua settings: one file, driven by environment variables (see .env.example)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets).

    A NAME_FILE that points nowhere fails loudly: a silently missing secret is worse.
    """
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return None


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    if key := env_secret("SECRET_KEY"):
        return key
    # Development only: generate once into var/ so sessions survive restarts; never committed.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off / Cần đặt SECRET_KEY khi DEBUG tắt."
        )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Cổng dịch vụ công MotCua")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.calendars",
    "motcua.eforms",
    "motcua.dossiers",
    "motcua.uploads",
    "motcua.backoffice",
    "motcua.notifications",
    "motcua.portal",
    "motcua.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context_processors.site",
            ],
        },
    },
]

# SQLite under var/ by default so `make run` needs no server; PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL + a busy timeout: readers never block the writer, and concurrent writers wait
    # instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after_login"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools log every layout and subsetting step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

ADMIN_SITE_HEADER = _("MotCua - Quản trị")

# Outgoing mail: printed to the console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MotCua <no-reply@localhost>")
# SMS gateway adapter; the default is the LOCAL SANDBOX (nothing leaves the machine).
SMS_PROVIDER = env_str("SMS_PROVIDER", "motcua.notifications.channels.sms_sandbox.SandboxSmsProvider")
# The generic HTTPS/JSON brand-name gateway (notifications.channels.sms_http), when SMS_PROVIDER names it.
SMS_HTTP_URL = env_str("SMS_HTTP_URL")
SMS_HTTP_API_KEY = env_secret("SMS_HTTP_API_KEY") or ""
SMS_BRANDNAME = env_str("SMS_BRANDNAME")
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10)

# Online drafts: kept this many days after the last change; the owner is warned before.
DRAFT_EXPIRY_DAYS = env_int("DRAFT_EXPIRY_DAYS", 30)
DRAFT_WARNING_DAYS = env_int("DRAFT_WARNING_DAYS", 3)

# Agency shown as the portal's owner (Circular 10/2016 identifier code); empty = the root agency.
MOTCUA_HOME_AGENCY = env_str("MOTCUA_HOME_AGENCY", "")

# --- Accounts: login, lockout, OpenID Connect (motcua.accounts) ------------------------------
# Log in with a username, an e-mail address or a phone number (and lock out after failures).
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.IdentifierBackend"]
LOGIN_FAILURE_LIMITS = {
    "account": env_int("LOGIN_FAILURES_PER_ACCOUNT", 5),
    # Higher per address: a ward office or a school shares one public address among many people.
    "ip": env_int("LOGIN_FAILURES_PER_IP", 20),
}
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)

# OpenID Connect login (VNeID / the national portal's SSO). Discovery at
# OIDC_ISSUER/.well-known/openid-configuration unless OIDC_DISCOVERY_URL says otherwise.
# With OIDC_SANDBOX on (default when DEBUG) and no issuer set, the LOCAL SANDBOX provider at
# /oidc-sandbox/ is used: fake citizens, nothing leaves the machine.
OIDC_SANDBOX = env_bool("OIDC_SANDBOX", DEBUG)
OIDC_ISSUER = env_str("OIDC_ISSUER", f"{SITE_URL}/oidc-sandbox" if OIDC_SANDBOX else "").rstrip("/")
OIDC_DISCOVERY_URL = env_str("OIDC_DISCOVERY_URL")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "motcua-sandbox" if OIDC_SANDBOX else "")
OIDC_CLIENT_SECRET = env_secret("OIDC_CLIENT_SECRET") or ("sandbox-secret" if OIDC_SANDBOX else "")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid profile email phone")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "VNeID")
# Where the provider sends the browser back; registered with the provider. Default: SITE_URL + /tai-khoan/vneid/ve/.
OIDC_REDIRECT_URI = env_str("OIDC_REDIRECT_URI")
OIDC_CLAIMS = {
    "full_name": env_str("OIDC_CLAIM_FULL_NAME", "name"),
    "birth_date": env_str("OIDC_CLAIM_BIRTH_DATE", "birthdate"),
    "personal_id": env_str("OIDC_CLAIM_PERSONAL_ID", "personal_id"),
    "phone": env_str("OIDC_CLAIM_PHONE", "phone_number"),
    "email": env_str("OIDC_CLAIM_EMAIL", "email"),
}
OIDC_HTTP_TIMEOUT = env_int("OIDC_HTTP_TIMEOUT", 10)

# Uploaded attachments (motcua.uploads): checked by content, kept in a private storage that
# MEDIA_URL never serves, scanned by ClamAV when configured.
UPLOAD_MAX_FILE_MB = env_int("UPLOAD_MAX_FILE_MB", 20)
UPLOAD_MAX_DOSSIER_MB = env_int("UPLOAD_MAX_DOSSIER_MB", 100)
UPLOAD_IMAGE_MAX_PX = env_int("UPLOAD_IMAGE_MAX_PX", 2480)  # longest side: A4 at 300 dpi
# Private storage: local disk outside MEDIA_ROOT by default, or an S3-compatible backend
# (dotted path; it reads its own settings). Never a location MEDIA_URL serves.
STORAGES["private"] = {"BACKEND": env_str("UPLOAD_STORAGE_BACKEND", "motcua.uploads.storage.PrivateFileSystemStorage")}
UPLOAD_STORAGE_LOCATION = Path(env_str("UPLOAD_STORAGE_LOCATION", str(VAR_DIR / "private")))
# clamd: a unix socket, or a host and port; neither = files are recorded as not scanned.
CLAMD_SOCKET = env_str("CLAMD_SOCKET")
CLAMD_HOST = env_str("CLAMD_HOST")
CLAMD_PORT = env_int("CLAMD_PORT", 3310)
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30)
