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
