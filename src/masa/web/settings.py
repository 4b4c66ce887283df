"""Django settings. SQLite is the embedded default (``MASA_DB``); PostgreSQL via ``DATABASE_URL``.

Security: Argon2 passwords, django-axes login throttling, optional TOTP (django-otp), secure
session and CSRF cookies, a strict Content-Security-Policy (django-csp: no inline script or
style anywhere) and the usual security headers.
"""

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
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "masa.web.core",
    "masa.web.accounts",
    "masa.web.workflow",
    "masa.web.auditlog",
    "masa.web.site",
    "masa.web.administration",
    "django_tasks",
    "django_tasks_db",
    "masa.web.queue",
    "masa.web.notify",
    "masa.web.youngpeople",
    "masa.web.dataset",
    "masa.web.assurance",
    "masa.web.section11",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "masa.web.site.nul_guard.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "masa.web.partnerships.PartnershipMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "masa.web.site.first_run.FirstRunMiddleware",
]
ROOT_URLCONF = "masa.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "masa.web.site.context.roles",
    ]},
}]

_sqlite = os.environ.get("MASA_DB", "build/masa.sqlite3")
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    Path(_sqlite).parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite,
            # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so concurrent
            # saves wait (timeout) instead of failing with "database is locked" on upgrade.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20,
                        "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
# Checked wherever a password is set, through masa.web.accounts.passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "site:login"
LOGIN_REDIRECT_URL = "site:home"

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("MASA_STATIC_ROOT", str(Path(_sqlite).parent / "static"))
STATIC_DIR = BASE_DIR / "site" / "static"  # served by masa.web.urls (no collectstatic step)
MEDIA_ROOT = os.environ.get("MASA_MEDIA_ROOT", str(Path(_sqlite).parent / "media"))

# Uploads: figures spreadsheets only, small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Sessions and cookies. Secure cookies unless explicitly serving plain HTTP for development.
_https = os.environ.get("MASA_INSECURE_HTTP") != "1"
SESSION_COOKIE_SECURE = _https
# HSTS is sent only on HTTPS responses; behind a TLS-terminating proxy set MASA_BEHIND_PROXY=1.
SECURE_HSTS_SECONDS = 31536000 if _https else 0
if os.environ.get("MASA_BEHIND_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_SECURE = _https
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    },
}

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "site/locked_out.html"

MASA_UPLOAD_MAX_BYTES = 1024 * 1024

# Background queue (notifications, report builds): django-tasks' database backend, run by `masa worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Email (MASA_EMAIL_HOST, _PORT, _USER, _PASSWORD, _USE_TLS, _USE_SSL, _FROM) and MASA_SITE_URL for links;
# the console backend unless MASA_EMAIL_HOST is set. See docs/web.md, Notifications.
from masa.web.notify.mailconfig import email_settings

globals().update(email_settings(os.environ))
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "loggers": {"axes": {"level": "WARNING"}}}
