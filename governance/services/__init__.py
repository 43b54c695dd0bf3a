"""Every write of the governance app. Keyword-only arguments; the actor is always named.

Permission checks live here as well as in views, so a management command or a Celery task cannot
bypass them by accident. One module per sub-domain; every service is importable from here
(`from governance import services; services.organisation_create(...)`).
"""

from governance.services.calendar import (
    MILESTONE_FIELDS,
    fiscal_year_create,
    fiscal_year_update,
    milestone_act,
    milestone_create,
    milestone_delete,
    milestone_reminders_send,
    milestone_update,
    reporting_round_update,
)
from governance.services.committees import (
    COMMITTEE_FIELDS,
    committee_create,
    committee_member_add,
    committee_member_remove,
    committee_member_update,
    committee_update,
)
from governance.services.organisations import (
    organisation_create,
    organisation_move,
    organisation_update,
)
from governance.services.people import (
    PERSON_FIELDS,
    membership_create,
    membership_delete,
    membership_update,
    person_create,
    person_set_language,
    person_set_password,
    person_update,
)

__all__ = [
    "COMMITTEE_FIELDS",
    "MILESTONE_FIELDS",
    "PERSON_FIELDS",
    "committee_create",
    "committee_member_add",
    "committee_member_remove",
    "committee_member_update",
    "committee_update",
    "fiscal_year_create",
    "fiscal_year_update",
    "membership_create",
    "membership_delete",
    "membership_update",
    "milestone_act",
    "milestone_create",
    "milestone_delete",
    "milestone_reminders_send",
    "milestone_update",
    "organisation_create",
    "organisation_move",
    "organisation_update",
    "person_create",
    "person_set_language",
    "person_set_password",
    "person_update",
    "reporting_round_update",
]
