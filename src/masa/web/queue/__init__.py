"""The background queue (django-tasks with its database backend): the worker process, its
heartbeat, recovery of tasks whose worker died, and the report-build task."""
