"""Test settings: the same settings, with a fixed key and fast hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")

from config.settings import *  # noqa: F403
from config.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: an in-memory database shared between threads uses SQLite's shared
    # cache, whose table locks fail at once instead of waiting, unlike the WAL file `make run`
    # uses. Concurrency tests must see the real behaviour. One file per process (xdist workers
    # are processes), so two test runs on one machine never share a database.
    test_db = Path(tempfile.gettempdir()) / f"motcua-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(test_db)}
STORAGES = {
    **STORAGES,  # noqa: F405 - every alias the settings define (e.g. "private" uploads)
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if "private" in STORAGES:
    STORAGES["private"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Search re-reads the catalogue at once, so a procedure created in a test is found (catalog.search).
MOTCUA_SEARCH_RECHECK_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
