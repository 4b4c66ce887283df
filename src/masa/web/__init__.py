"""The Django layer: storage of specs and returns, and (later) the web application.

Engines never import this package; it imports them. ``setup()`` makes Django usable from
the CLI without a manage.py.
"""

from __future__ import annotations

import os


def setup(migrate: bool = False) -> None:
    """Configure Django for a command-line process; optionally bring the schema up to date,
    under the store's migration lock so commands started together on a new database don't race."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masa.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    if migrate:
        from .store import migrate as locked_migrate  # imported here: store imports this module

        locked_migrate()
