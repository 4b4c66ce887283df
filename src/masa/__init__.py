"""masa: multi-agency safeguarding arrangements.

Engines (spec, returns, disclosure, compare, checks, indicators, ingest, report) are plain
Python and never import Django; ``masa.web`` and ``masa.cli`` are thin callers on top.
"""

__version__ = "0.1.0"
