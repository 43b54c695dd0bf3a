"""Choices of the KPI app, with translated labels and named groups."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CriteriaType(models.TextChoices):
    MILESTONE = "milestone", _("Milestones (steps)")
    OUTCOME = "outcome", _("Outcome (thresholds)")
    HYBRID = "hybrid", _("Steps then outcome")
    COMPOSITE = "composite", _("Composite of sub-KPIs")


class FloorRule(models.TextChoices):
    """What a result below level 1 scores (DOMAIN.md §4)."""

    ONE = "one", _("1.0000, as in the OPDC method")
    ZERO = "zero", _("0")


class FrameworkState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("framework state", "Draft")
    PUBLISHED = "published", pgettext_lazy("framework state", "Published")


class TemplateState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("template state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("template state", "Submitted for review")
    RETURNED = "returned", pgettext_lazy("template state", "Returned with comments")
    APPROVED = "approved", pgettext_lazy("template state", "Approved")


TEMPLATE_EDITABLE_STATES = frozenset({TemplateState.DRAFT, TemplateState.RETURNED})
TEMPLATE_FINAL_STATES = frozenset({TemplateState.APPROVED})

# The four dimensions (มิติ) with the OPDC default weights; a framework may change the weights.
DEFAULT_DIMENSIONS: tuple[tuple[int, str, str, Decimal], ...] = (
    (1, "มิติด้านประสิทธิผล", "Effectiveness", Decimal("45")),
    (2, "มิติด้านคุณภาพการให้บริการ", "Service quality", Decimal("15")),
    (3, "มิติด้านประสิทธิภาพ", "Efficiency", Decimal("20")),
    (4, "มิติด้านการพัฒนาองค์กร", "Organisational development", Decimal("20")),
)
WEIGHT_TOTAL = Decimal("100")
