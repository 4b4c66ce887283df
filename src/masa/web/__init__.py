"""The Django layer: storage of specs and returns, and (later) the web application.

Engines never import this package; it imports them. ``setup()`` makes Django usable from
the CLI without a manage.py.
"""

from __future__ import annotations

import os


def setup(migrate: bool = False) -> None:
    """Configure Django for a command-line process; optionally bring the schema up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masa.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
