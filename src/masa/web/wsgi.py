"""WSGI entry point for gunicorn: ``gunicorn masa.web.wsgi:application``."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masa.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
