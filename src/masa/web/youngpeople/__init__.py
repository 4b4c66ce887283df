"""The young people's version of the yearly report on the web: the business unit generates a
draft (masa.report.young_people), edits it with its readability score in view, approves and
publishes it, in HTML and PDF, at ``/published/<period>/young-people/``."""
