"""Partner returns as plain data: the contract between import, storage, checks and report."""

from .loader import load_dataset, load_return_file
from .model import (
                    PUBLIC_STATUSES,
                    Action,
                    ActionUpdate,
                    Attachment,
                    Audit,
                    CarriedAction,
                    CaseStudy,
                    Challenge,
                    Dataset,
                    DataValue,
                    Highlight,
                    NextYearPriority,
                    PriorityReview,
                    Provenance,
                    Return,
                    SectionAnswer,
)
from .validate import Problem, reference_problems, rule_problems

__all__ = [
    "PUBLIC_STATUSES", "Action", "ActionUpdate", "Attachment", "Audit", "CarriedAction", "CaseStudy", "Challenge", "DataValue", "Dataset", "Highlight",
    "NextYearPriority", "PriorityReview", "Problem", "Provenance", "Return", "SectionAnswer", "load_dataset",
    "load_return_file", "reference_problems", "rule_problems",
]
