"""The JSON API (django-ninja, OpenAPI at /api/docs): published figures for anyone, and a
partner's own return (read, and write figures) with a bearer token."""
