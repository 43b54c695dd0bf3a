"""Choices of the governance app, with translated labels and named groups beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government / OPDC")
    MINISTRY = "ministry", _("Ministry")
    MISSION_GROUP = "mission_group", _("Mission group")
    DEPARTMENT = "department", _("Department")
    UNIT = "unit", _("Unit")


# Which kinds may sit directly under which: units nest, mission groups are optional.
ALLOWED_CHILD_KINDS: dict[str, frozenset[str]] = {
    OrganisationKind.GOVERNMENT: frozenset({OrganisationKind.MINISTRY}),
    OrganisationKind.MINISTRY: frozenset(
        {OrganisationKind.MISSION_GROUP, OrganisationKind.DEPARTMENT, OrganisationKind.UNIT}
    ),
    OrganisationKind.MISSION_GROUP: frozenset({OrganisationKind.DEPARTMENT}),
    OrganisationKind.DEPARTMENT: frozenset({OrganisationKind.UNIT}),
    OrganisationKind.UNIT: frozenset({OrganisationKind.UNIT}),
}


class Role(models.TextChoices):
    PLANNING = "planning", _("Planning staff")
    KPI_OWNER = "kpi_owner", _("KPI owner")
    UNIT_HEAD = "unit_head", _("Unit head")
    DATA_COLLECTOR = "data_collector", _("Data collector")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    ADMIN = "admin", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


class CommitteeKind(models.TextChoices):
    # The four bodies of the deck (slide 6), in the order they are appointed.
    OVERSIGHT = "oversight", _("Performance evaluation oversight committee")
    NEGOTIATION = "negotiation", _("Negotiation and evaluation committee")
    WORKING_GROUP = "working_group", _("Drafting and evaluation working group")
    AUDIT = "audit", _("Ministry audit and evaluation committee (AEC)")


class CommitteePosition(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("committee position", "Chair")
    VICE_CHAIR = "vice_chair", pgettext_lazy("committee position", "Vice-chair")
    MEMBER = "member", pgettext_lazy("committee position", "Member")
    SECRETARY = "secretary", pgettext_lazy("committee position", "Member and secretary")
    ASSISTANT_SECRETARY = (
        "assistant_secretary",
        pgettext_lazy("committee position", "Assistant secretary"),
    )


class MilestoneState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("milestone state", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("milestone state", "In progress")
    DONE = "done", pgettext_lazy("milestone state", "Done")
    CANCELLED = "cancelled", pgettext_lazy("milestone state", "Cancelled")


MILESTONE_OPEN_STATES = frozenset({MilestoneState.PLANNED, MilestoneState.IN_PROGRESS})
MILESTONE_FINAL_STATES = frozenset({MilestoneState.DONE, MilestoneState.CANCELLED})
