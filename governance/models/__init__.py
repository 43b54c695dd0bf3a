"""Organisations, people and their roles, committees, fiscal years and the calendar.

One module per sub-domain. Django finds the models through this package, so every model is
imported here; import them from `governance.models` as before.
"""

from governance.models.calendar import FiscalYear, Milestone, MilestoneTransition, ReportingRound
from governance.models.committees import Committee, CommitteeMember
from governance.models.organisations import (
    PATH_STEP,
    CoreValue,
    Mission,
    Organisation,
    path_segment,
)
from governance.models.people import Membership, User
from governance.models.strategy import StrategicIssue
from governance.models.transitions import TransitionRecord

__all__ = [
    "PATH_STEP",
    "Committee",
    "CommitteeMember",
    "CoreValue",
    "FiscalYear",
    "Membership",
    "Milestone",
    "MilestoneTransition",
    "Mission",
    "Organisation",
    "ReportingRound",
    "StrategicIssue",
    "TransitionRecord",
    "User",
    "path_segment",
]
