"""Settings for the test suite: SQLite by default, PostgreSQL when
``BRIDGEWORK_TEST_DATABASE_URL`` is set."""

import os
import tempfile

os.environ.setdefault("BRIDGEWORK_DATA_DIR", tempfile.mkdtemp(prefix="bridgework-test-"))
os.environ.setdefault("BRIDGEWORK_SECRET_KEY", "tests-only-not-secret")

import dj_database_url

from bridgework.config.settings import *  # noqa: F403

_test_url = os.environ.get("BRIDGEWORK_TEST_DATABASE_URL")
if _test_url:
    DATABASES = {"default": dj_database_url.parse(_test_url)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {"huey_class": "huey.MemoryHuey", "name": "bridgework-tests", "immediate": True}
ALLOWED_HOSTS = ["*"]
