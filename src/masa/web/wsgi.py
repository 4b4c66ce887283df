"""WSGI entry point for gunicorn: ``gunicorn masa.web.wsgi:application``."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masa.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

if os.environ.get("MASA_WARM_UP") == "1":  # set by `masa serve`, which runs gunicorn with --preload
    from masa.web.warmup import warm_up

    warm_up()
