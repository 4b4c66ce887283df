"""Notifications: who is told what (queries, submissions, approvals, publication, withdrawal,
deadlines, lateness), by email, immediately or in a daily digest, always from the background
queue, never inside a request. Views and the workflow call ``masa.web.notify.events``."""
