"""Django settings. SQLite is the embedded default (``MASA_DB``); PostgreSQL via ``DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DEBUG = os.environ.get("MASA_DEBUG") == "1"
SECRET_KEY = os.environ.get("MASA_SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = [h for h in os.environ.get("MASA_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "masa.web.core",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "masa.web.urls"

_sqlite = os.environ.get("MASA_DB", "build/masa.sqlite3")
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    Path(_sqlite).parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite,
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
