"""The checks engine: findings about a draft report or stored returns, for the board and scrutineer.

Public entry points: :func:`check_documents` (any txt/md/docx/pdf report, no set-up) and
:func:`check_dataset` (stored returns). Both run the same registry of checks.
"""

from .dataset import check_dataset
from .documents import check_documents, check_texts
from .finding import CheckRun, ComplianceItem, FileError, Finding, Location
from .registry import REGISTRY, Check, Ctx, check, run_checks

__all__ = ["REGISTRY", "Check", "CheckRun", "ComplianceItem", "Ctx", "FileError", "Finding", "Location",
           "check", "check_dataset", "check_documents", "check_texts", "prepare", "run_checks"]


def prepare() -> None:
    """Load what every run needs once per process (the dictionary, Harper, the registered checks), so a
    server can do it before it forks its workers."""
    from . import catalogue  # noqa: F401  (registers every check, reads data/rules.yaml)
    from .grammar_pos import tagger
    from .language import linter
    from .spelling import dictionary

    dictionary()
    linter()
    tagger()
