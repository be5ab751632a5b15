"""Cases guidebot reminds about: what a person or a CSV row may give (references and dates only), and the CSV files."""

from guidebot.cases.models import (
    CASE_STATUSES,
    DEFAULT_CASE_REF_PATTERN,
    PROGRAMMES,
    CaseIn,
    CaseInvalid,
    CaseStatus,
    CaseView,
    normalise_case_ref,
)

__all__ = [
    "CASE_STATUSES",
    "DEFAULT_CASE_REF_PATTERN",
    "PROGRAMMES",
    "CaseIn",
    "CaseInvalid",
    "CaseStatus",
    "CaseView",
    "normalise_case_ref",
]
