"""The agreements app's tables, split by sub-domain.

agreements: agreements, versions, annex rows, comments, signatures, ceremonies;
reports: self-assessment reports (SAR) per round, KPI results, evidence, site visits;
scores: the stored scores of each SAR (KPI, dimension, total) and the roll-ups up the tree.
"""

from agreements.models.agreements import (
    Agreement,
    AgreementKPI,
    AgreementTransition,
    AgreementVersion,
    Ceremony,
    KPIComment,
    Signature,
)
from agreements.models.reports import (
    SAR,
    Evidence,
    KPIResult,
    SARReminder,
    SARTransition,
    SiteVisit,
    SiteVisitFinding,
)
from agreements.models.scores import (
    DimensionScore,
    KPIScore,
    RecomputeJob,
    RollupScore,
    SARScore,
)

__all__ = [
    "SAR",
    "Agreement",
    "AgreementKPI",
    "AgreementTransition",
    "AgreementVersion",
    "Ceremony",
    "DimensionScore",
    "Evidence",
    "KPIComment",
    "KPIResult",
    "KPIScore",
    "RecomputeJob",
    "RollupScore",
    "SARReminder",
    "SARScore",
    "SARTransition",
    "Signature",
    "SiteVisit",
    "SiteVisitFinding",
]
