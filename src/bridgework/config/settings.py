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
``BRIDGEWORK_EVENT_STORE``     the DuckDB event store (default: ``events.duckdb``
                               in the data folder)
``BRIDGEWORK_INTERNAL_DOMAINS``  comma-separated e-mail domains of our organization
``BRIDGEWORK_IMPORT_MAX_UPLOAD_MB``  largest upload on the import page (2048)
``BRIDGEWORK_EXACT_BETWEENNESS_UP_TO``  exact betweenness up to this many people (5000)
``BRIDGEWORK_BETWEENNESS_EPSILON``  largest error of estimated betweenness (0.01)
=============================  ==================================================
"""

from __future__ import annotations

import json
import os
import secrets
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bridgework.config.middleware.DomainErrorMiddleware",
    "bridgework.config.middleware.ViewerTimeZoneMiddleware",
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
AUTHENTICATION_BACKENDS = ["bridgework.accounts.backends.PersonModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "people:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
# Largest file accepted by the web import page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = (
    int(os.environ.get("BRIDGEWORK_IMPORT_MAX_UPLOAD_MB", "2048")) * 1024 * 1024
)

# Tie strength: half-life of contact in days, and optional formula weights
# (see docs/metrics/tie-strength.md), e.g. BRIDGEWORK_TIE_WEIGHTS='{"recency": 0.4}'.
TIE_HALF_LIFE_DAYS = float(os.environ.get("BRIDGEWORK_TIE_HALF_LIFE_DAYS", "90"))
TIE_WEIGHTS = json.loads(os.environ.get("BRIDGEWORK_TIE_WEIGHTS", "{}") or "{}")

# Smallest group for which an aggregate is shown; never below 3.
PRIVACY_MIN_GROUP_SIZE = max(3, int(os.environ.get("BRIDGEWORK_PRIVACY_MIN_GROUP", "5")))

# Network analysis: betweenness is exact up to this many people and estimated
# above it, every value within this margin with 90% probability
# (docs/metrics/centrality.md).
ANALYSIS_EXACT_BETWEENNESS_UP_TO = int(os.environ.get("BRIDGEWORK_EXACT_BETWEENNESS_UP_TO", "5000"))
ANALYSIS_BETWEENNESS_EPSILON = float(os.environ.get("BRIDGEWORK_BETWEENNESS_EPSILON", "0.01"))

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
