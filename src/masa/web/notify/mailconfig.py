"""Email settings from ``MASA_EMAIL_*`` environment variables (read by settings.py). Plain
Python, so the mapping is testable without reloading Django's settings."""

from __future__ import annotations

from collections.abc import Mapping

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(env: Mapping[str, str]) -> dict:
    """Console backend unless ``MASA_EMAIL_HOST`` names an SMTP server (or MASA_EMAIL_BACKEND
    names a backend). SSL (port 465) and STARTTLS (port 587, the default) exclude each other."""
    host = env.get("MASA_EMAIL_HOST", "")
    ssl = env.get("MASA_EMAIL_USE_SSL") == "1"
    return {
        "EMAIL_BACKEND": env.get("MASA_EMAIL_BACKEND") or (SMTP if host else CONSOLE),
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": int(env.get("MASA_EMAIL_PORT") or (465 if ssl else 587)),
        "EMAIL_HOST_USER": env.get("MASA_EMAIL_USER", ""),
        "EMAIL_HOST_PASSWORD": env.get("MASA_EMAIL_PASSWORD", ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": not ssl and env.get("MASA_EMAIL_USE_TLS", "1") == "1",
        "EMAIL_TIMEOUT": int(env.get("MASA_EMAIL_TIMEOUT") or 30),
        "DEFAULT_FROM_EMAIL": env.get("MASA_EMAIL_FROM", "masa <masa@localhost>"),
        "MASA_SITE_URL": (env.get("MASA_SITE_URL") or "http://127.0.0.1:8000").rstrip("/"),
    }
