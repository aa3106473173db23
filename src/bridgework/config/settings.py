"""Django settings for Bridgework.

Everything a deployment changes comes from ``BRIDGEWORK_*`` environment
variables, so the embedded default (``make demo``) needs none of them:

=============================  ==================================================
``BRIDGEWORK_DATA_DIR``        folder for the SQLite database, task queue and
                               secret key (default: ``./data``)
``BRIDGEWORK_DATABASE_URL``    e.g. ``postgres://user@host:5432/bridgework``
                               (default: SQLite in the data folder)
``BRIDGEWORK_REDIS_URL``       run the task queue on Redis instead of SQLite
``BRIDGEWORK_SECRET_KEY``      default: generated once into the data folder
``BRIDGEWORK_DEBUG``           ``1`` for Django's debug pages
``BRIDGEWORK_ALLOWED_HOSTS``   comma-separated host names
``BRIDGEWORK_SITE_URL``        the address in links of e-mails, e.g.
                               ``https://bridgework.example.com`` (``serve``
                               sets it to the host and port it listens on)
``BRIDGEWORK_PRIVACY_MIN_GROUP``  smallest group an aggregate is shown for (>= 3)
``BRIDGEWORK_PATH_QUERIES_PER_HOUR``  introduction path look-ups per login an hour (60)
``BRIDGEWORK_EXPERTISE_QUERIES_PER_HOUR``  expertise searches per login an hour (120)
``BRIDGEWORK_EVENT_STORE``     the DuckDB event store (default: ``events.duckdb``
                               in the data folder)
``BRIDGEWORK_INTERNAL_DOMAINS``  comma-separated e-mail domains of our organization
``BRIDGEWORK_IMPORT_MAX_UPLOAD_MB_MEMBER``  largest upload of one import by a
                               member, MB (256); stopped while it streams in
``BRIDGEWORK_IMPORT_MAX_UPLOAD_MB_ANALYST``  the same for people analysts and
                               admins (2048; ``BRIDGEWORK_IMPORT_MAX_UPLOAD_MB``
                               is still read as its default)
``BRIDGEWORK_IMPORT_ZIP_MAX_ENTRIES``  most entries in an imported zip (200000)
``BRIDGEWORK_IMPORT_ZIP_MAX_RATIO``  most an imported zip may expand (100 times)
``BRIDGEWORK_EXACT_BETWEENNESS_UP_TO``  exact betweenness up to this many people (5000)
``BRIDGEWORK_BETWEENNESS_EPSILON``  largest error of estimated betweenness (0.01)
``BRIDGEWORK_LOGIN_FAILURE_LIMIT``  failed sign-ins per username or address before
                               a lockout (5)
``BRIDGEWORK_LOGIN_COOLOFF_MINUTES``  how long a lockout lasts (15)
``BRIDGEWORK_API_TOKEN_DAYS``  how long a new API token works (90)
``BRIDGEWORK_HTTPS``           ``1`` when served over HTTPS (directly or behind a
                               proxy): turns on the four below, with HSTS for a year
``BRIDGEWORK_SSL_REDIRECT``    redirect plain HTTP to HTTPS (default: as HTTPS)
``BRIDGEWORK_SECURE_COOKIES``  session and CSRF cookies over HTTPS only (as HTTPS)
``BRIDGEWORK_HSTS_SECONDS``    Strict-Transport-Security max-age (31536000 with
                               HTTPS, else 0: no header)
``BRIDGEWORK_HSTS_INCLUDE_SUBDOMAINS``  HSTS for every subdomain too (as HTTPS)
``BRIDGEWORK_HSTS_PRELOAD``    ask to be on browsers' HSTS preload list (0)
``BRIDGEWORK_TRUSTED_PROXY``   address of the reverse proxy that terminates TLS
                               (or ``*``): its X-Forwarded-Proto is believed
=============================  ==================================================

The production settings ``manage.py check --deploy`` passes with are in the
README ("Deploying behind HTTPS"); ``tests/test_deploy_settings.py`` runs it.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BRIDGEWORK_DATA_DIR", Path.cwd() / "data")).resolve()


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    from_env = os.environ.get("BRIDGEWORK_SECRET_KEY")
    if from_env:
        return from_env
    # A key generated once and kept beside the data, so sessions survive restarts
    # without anyone having to invent a secret for a local install.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("BRIDGEWORK_DEBUG")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("BRIDGEWORK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "huey.contrib.djhuey",
    "axes",
    "bridgework.accounts",
    "bridgework.people",
    "bridgework.interactions",
    "bridgework.network",
    "bridgework.analysis",
    "bridgework.mentoring",
    "bridgework.impact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their caching and carry no CSP.
    "csp.middleware.CSPMiddleware",
    "bridgework.config.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (the limit is the uploader's), before any view or
    # CSRF check reads a body: stops uploads over the limit while they stream.
    "bridgework.interactions.uploads.UploadLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bridgework.config.middleware.DomainErrorMiddleware",
    "bridgework.config.middleware.ViewerTimeZoneMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into accounts.lockout's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bridgework.config.urls"
WSGI_APPLICATION = "bridgework.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bridgework.accounts.context_processors.viewer",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("BRIDGEWORK_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'bridgework.sqlite3'}",
        conn_max_age=60,
    )
}
if not os.environ.get("BRIDGEWORK_DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default's first run
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web app read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "bridgework.accounts.backends.LoginThrottleBackend",
    "bridgework.accounts.backends.PersonModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "people:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Validates nothing: Django tells it of every password change, however made,
    # and it revokes the login's API tokens (accounts/passwords.py).
    {"NAME": "bridgework.accounts.passwords.ApiTokensRevokedOnPasswordChange"},
]

# Sign-in throttling (django-axes; accounts/lockout.py): after LOGIN_FAILURE_LIMIT
# failed sign-ins for one username, or from one address, within the cool-off,
# that username or address is refused (the right password too) until
# LOGIN_COOLOFF_MINUTES have passed, on the login page, admin login and
# POST /api/auth/token alike. Each lockout is written to the audit log.
LOGIN_FAILURE_LIMIT = max(1, int(os.environ.get("BRIDGEWORK_LOGIN_FAILURE_LIMIT", "5")))
LOGIN_COOLOFF_MINUTES = max(1, int(os.environ.get("BRIDGEWORK_LOGIN_COOLOFF_MINUTES", "15")))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
AXES_LOCKOUT_CALLABLE = "bridgework.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Attempts refused during a lockout neither count nor extend it: it ends
# LOGIN_COOLOFF_MINUTES after the failure that caused it, as the message says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the failures: one's own good password must not reset
# the count of an address that is guessing at other people's.
AXES_RESET_ON_SUCCESS = False
# Only failures are kept (for the cool-off); no log of every successful sign-in.
AXES_DISABLE_ACCESS_LOG = True

# API tokens work for this many days after they are made (at least one).
API_TOKEN_DAYS = max(1, int(os.environ.get("BRIDGEWORK_API_TOKEN_DAYS", "90")))

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The front-end bundle built from npm packages (frontend/build.mjs) lands here.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Only for deployments that collect static files for a separate web server.
STATIC_ROOT = os.environ.get("BRIDGEWORK_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The embedded server serves static files straight from the package (no
# collectstatic step); deployments behind a web server may collect them.
WHITENOISE_USE_FINDERS = True

# Pages queue e-mail for the task worker, which delivers it with this backend
# (console by default: printed by the worker; `bridgework serve` keeps its worker's
# output in data/logs/worker.log, so password-reset links are there).
EMAIL_BACKEND = "bridgework.accounts.email.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "BRIDGEWORK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("BRIDGEWORK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BRIDGEWORK_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("BRIDGEWORK_FROM_EMAIL", "bridgework@localhost")
# The address in links of e-mails and digests (see bridgework.web.links).
SITE_URL = os.environ.get("BRIDGEWORK_SITE_URL", "")

_redis_url = os.environ.get("BRIDGEWORK_REDIS_URL")
HUEY: dict[str, object]
if _redis_url:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "bridgework", "url": _redis_url}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "bridgework",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
    }
HUEY["immediate"] = False
HUEY["consumer"] = {"workers": 2, "worker_type": "thread"}

# The event store (DuckDB) beside the app database, and uploaded import files.
EVENT_STORE_PATH = Path(os.environ.get("BRIDGEWORK_EVENT_STORE", DATA_DIR / "events.duckdb"))
UPLOAD_DIR = DATA_DIR / "uploads"
# E-mail domains of our own organization (besides those of organizations of
# kind "ours"): people first seen with these addresses are employees.
INTERNAL_DOMAINS = [
    d.strip().lower()
    for d in os.environ.get("BRIDGEWORK_INTERNAL_DOMAINS", "").split(",")
    if d.strip()
]
# Uploads (interactions/uploads.py): the files of one import may come to this
# many bytes, members less than people analysts and admins; a larger upload is
# stopped while its body streams in. IMPORT_MAX_UPLOAD_BYTES, the largest, is
# what `bridgework serve` lets Waitress accept (plus the form around the files).
# DATA_UPLOAD_MAX_MEMORY_SIZE bounds only what is *not* a file (form fields,
# JSON bodies, read into memory), so it stays small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES_MEMBER = (
    max(1, int(os.environ.get("BRIDGEWORK_IMPORT_MAX_UPLOAD_MB_MEMBER", "256"))) * 1024 * 1024
)
IMPORT_MAX_UPLOAD_BYTES_ANALYST = (
    max(
        1,
        int(
            os.environ.get("BRIDGEWORK_IMPORT_MAX_UPLOAD_MB_ANALYST")
            or os.environ.get("BRIDGEWORK_IMPORT_MAX_UPLOAD_MB", "2048")
        ),
    )
    * 1024
    * 1024
)
IMPORT_MAX_UPLOAD_BYTES = max(IMPORT_MAX_UPLOAD_BYTES_MEMBER, IMPORT_MAX_UPLOAD_BYTES_ANALYST)
# Zips are judged by the worker on their directory before anything is unpacked:
# at most this many entries, expanding at most this many times (and unpacking to
# at most 10 times the uploader's upload limit).
IMPORT_ZIP_MAX_ENTRIES = max(1, int(os.environ.get("BRIDGEWORK_IMPORT_ZIP_MAX_ENTRIES", "200000")))
IMPORT_ZIP_MAX_RATIO = max(1.0, float(os.environ.get("BRIDGEWORK_IMPORT_ZIP_MAX_RATIO", "100")))

# Tie strength: half-life of contact in days, and optional formula weights
# (see docs/metrics/tie-strength.md), e.g. BRIDGEWORK_TIE_WEIGHTS='{"recency": 0.4}'.
TIE_HALF_LIFE_DAYS = float(os.environ.get("BRIDGEWORK_TIE_HALF_LIFE_DAYS", "90"))
TIE_WEIGHTS = json.loads(os.environ.get("BRIDGEWORK_TIE_WEIGHTS", "{}") or "{}")

# Smallest group for which an aggregate is shown; never below 3.
PRIVACY_MIN_GROUP_SIZE = max(3, int(os.environ.get("BRIDGEWORK_PRIVACY_MIN_GROUP", "5")))

# Queries that show paths through other people's ties, per login and hour
# (network/limits.py; counted in the default cache): beyond them, a 429.
PATH_QUERIES_PER_HOUR = max(1, int(os.environ.get("BRIDGEWORK_PATH_QUERIES_PER_HOUR", "60")))
EXPERTISE_QUERIES_PER_HOUR = max(
    1, int(os.environ.get("BRIDGEWORK_EXPERTISE_QUERIES_PER_HOUR", "120"))
)

# Network analysis: betweenness is exact up to this many people and estimated
# above it, every value within this margin with 90% probability
# (docs/metrics/centrality.md).
ANALYSIS_EXACT_BETWEENNESS_UP_TO = int(os.environ.get("BRIDGEWORK_EXACT_BETWEENNESS_UP_TO", "5000"))
ANALYSIS_BETWEENNESS_EPSILON = float(os.environ.get("BRIDGEWORK_BETWEENNESS_EPSILON", "0.01"))

# ---- HTTPS and response headers (README: "Deploying behind HTTPS") ----------
# One switch for a deployment served over HTTPS: plain HTTP is redirected,
# cookies travel over HTTPS only, and browsers are told (HSTS) to use nothing
# else; each part can still be set on its own.
_https = _env_flag("BRIDGEWORK_HTTPS")
SECURE_SSL_REDIRECT = _env_flag("BRIDGEWORK_SSL_REDIRECT", _https)
SESSION_COOKIE_SECURE = _env_flag("BRIDGEWORK_SECURE_COOKIES", _https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(
    os.environ.get("BRIDGEWORK_HSTS_SECONDS") or (365 * 24 * 3600 if _https else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("BRIDGEWORK_HSTS_INCLUDE_SUBDOMAINS", _https)
SECURE_HSTS_PRELOAD = _env_flag("BRIDGEWORK_HSTS_PRELOAD")
# Behind a reverse proxy that terminates TLS, the app sees plain HTTP; the
# proxy's X-Forwarded-Proto says what the browser used. It is believed from
# TRUSTED_PROXY only: `bridgework serve` tells Waitress, which removes the
# header when anyone else sends it (cli/server.py, proxy_options). Under
# another WSGI server, that server or the proxy must do the same (Django docs,
# SECURE_PROXY_SSL_HEADER), or anyone could claim HTTPS.
TRUSTED_PROXY = os.environ.get("BRIDGEWORK_TRUSTED_PROXY", "").strip()
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): pages load scripts, styles, fonts and
# data from the app itself only; no inline script or style, no eval, no
# plugins, no framing. Pages keep to it (htmx is told not to add a <style>, see
# frontend/src/app.js); the browser journeys fail on any violation. The one
# exception in the policy is the 500 page's own <style>, allowed by its hash
# (it must render with no static files). The two standalone reports (network
# and impact, HTML made to be saved and mailed) get their own policy: no
# script at all, their inline styles allowed (bridgework.web.security).
_ERROR_PAGE = PACKAGE_DIR / "templates" / "500.html"


def _inline_style_sources(template: Path) -> list[str]:
    """The CSP sources (``'sha256-...'``) that allow ``template``'s <style> blocks."""
    import base64
    import hashlib
    import re

    blocks = re.findall(r"<style>(.*?)</style>", template.read_text(encoding="utf-8"), re.DOTALL)
    digests = (hashlib.sha256(block.encode("utf-8")).digest() for block in blocks)
    return [f"'sha256-{base64.b64encode(digest).decode('ascii')}'" for digest in digests]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *_inline_style_sources(_ERROR_PAGE)],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features Bridgework never uses, off for every page and anything it frames.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "bridgework": {"level": "INFO"},
        # The task worker attaches its own handler to huey's logger.
        "huey": {"level": "INFO", "propagate": False},
    },
}
