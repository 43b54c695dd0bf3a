"""Choices of the agreements app, with translated labels and named groups beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgreementState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement state", "Draft")
    PROPOSED = "proposed", pgettext_lazy("agreement state", "Proposed")
    NEGOTIATION = "negotiation", pgettext_lazy("agreement state", "In negotiation")
    AGREED = "agreed", pgettext_lazy("agreement state", "Agreed")
    APPROVED = "approved", pgettext_lazy("agreement state", "Approved")
    SIGNED = "signed", pgettext_lazy("agreement state", "Signed")
    REPORTING = "reporting", pgettext_lazy("agreement state", "Reporting")
    CLOSED = "closed", pgettext_lazy("agreement state", "Closed")
    REJECTED = "rejected", pgettext_lazy("agreement state", "Rejected")


# Who may change the annex in each state: planners while drafting, the committee while negotiating.
PLANNER_EDITABLE_STATES = frozenset({AgreementState.DRAFT})
COMMITTEE_EDITABLE_STATES = frozenset({AgreementState.NEGOTIATION})
# After signing the content is frozen: only an amendment (a new version) can change it.
FROZEN_STATES = frozenset({AgreementState.SIGNED, AgreementState.REPORTING, AgreementState.CLOSED})
FINAL_STATES = frozenset({AgreementState.CLOSED})


class Party(models.TextChoices):
    MAKER = "maker", _("Maker of the agreement (ผู้ทำคำรับรอง)")
    RECEIVER = "receiver", _("Receiver of the agreement (ผู้รับคำรับรอง)")


class VersionKind(models.TextChoices):
    ORIGINAL = "original", pgettext_lazy("agreement version", "Original")
    NEGOTIATION_ROUND = "round", pgettext_lazy("agreement version", "Negotiation round")
    AMENDMENT = "amendment", pgettext_lazy("agreement version", "Amendment")


# --- Self-assessment reports (SAR) ------------------------------------------------------------


class SARState(models.TextChoices):
    OPEN = "open", pgettext_lazy("SAR state", "Open for entry")
    SUBMITTED = "submitted", pgettext_lazy("SAR state", "Submitted")
    RETURNED = "returned", pgettext_lazy("SAR state", "Returned for correction")
    VERIFIED = "verified", pgettext_lazy("SAR state", "Verified")
    APPROVED = "approved", pgettext_lazy("SAR state", "Approved")


# The data collectors and the unit head write results only in these states.
SAR_EDITABLE_STATES = frozenset({SARState.OPEN, SARState.RETURNED})
# KPI owners verify results only while the SAR waits for them.
SAR_VERIFIABLE_STATES = frozenset({SARState.SUBMITTED})
# Not yet handed in: these count as late once the deadline has passed.
SAR_UNSUBMITTED_STATES = frozenset({SARState.OPEN, SARState.RETURNED})


class ResultStatus(models.TextChoices):
    """Where one KPI's result stands in the verification by its owner unit (เจ้าภาพ)."""

    PENDING = "pending", pgettext_lazy("result status", "Awaiting verification")
    ACCEPTED = "accepted", pgettext_lazy("result status", "Accepted")
    RETURNED = "returned", pgettext_lazy("result status", "Returned with a comment")
    ADJUSTED = "adjusted", pgettext_lazy("result status", "Adjusted by the KPI owner")


# A verified result counts in the official score (once the planning unit approves the SAR).
VERIFIED_RESULT_STATUSES = frozenset({ResultStatus.ACCEPTED, ResultStatus.ADJUSTED})


class Participation(models.TextChoices):
    """Whether a KPI is reported in a round; the weights of the others are renormalised."""

    REPORTED = "reported", pgettext_lazy("participation", "Reported in this round")
    NOT_STARTED = "not_started", pgettext_lazy("participation", "Starts in a later round")
    CANCELLED = "cancelled", pgettext_lazy("participation", "Cancelled from this round")


class VerificationDecision(models.TextChoices):
    ACCEPT = "accept", pgettext_lazy("verification", "Accept the result")
    RETURN = "return", pgettext_lazy("verification", "Return with a comment")
    ADJUST = "adjust", pgettext_lazy("verification", "Adjust the result")


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job state", "Queued")
    RUNNING = "running", pgettext_lazy("job state", "Running")
    DONE = "done", pgettext_lazy("job state", "Done")
    FAILED = "failed", pgettext_lazy("job state", "Failed")
