"""E-mail to the people who must act next after an agreement changes state.

Sent after the commit (the transition schedules it), one message per person, in each person's
language. A mail server that fails must not undo or hide a change that has already happened, so
failures are logged, not raised.
"""

import logging
from collections.abc import Callable

from django.db.models import Q, QuerySet

from agreements.models import Agreement
from agreements.selectors import latest_version
from governance.emails import send_templated_mail
from governance.enums import Role
from governance.models import Membership, User

logger = logging.getLogger(__name__)


def planners_of(agreement: Agreement) -> QuerySet[User]:
    """Planning staff whose role covers the agreement's organisation."""
    organisation = agreement.organisation
    covering = Q(organisation=organisation) | Q(
        includes_descendants=True, organisation__path__in=organisation.ancestor_paths
    )
    return User.objects.filter(
        is_active=True,
        memberships__in=Membership.objects.filter(covering, role=Role.PLANNING),
    )


def committee_members_of(agreement: Agreement) -> QuerySet[User]:
    if agreement.negotiation_committee_id is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, committee_seats__committee_id=agreement.negotiation_committee_id
    )


def parties_of(agreement: Agreement) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, pk__in=[pk for pk in (agreement.maker_id, agreement.receiver_id) if pk]
    )


Audience = Callable[[Agreement], QuerySet[User]]

# Who must act after each action, and the message they get. Closing the year asks nobody to act.
NOTIFICATIONS: dict[str, tuple[str, tuple[Audience, ...]]] = {
    "propose": ("agreement_proposed", (committee_members_of,)),
    "open_negotiation": ("agreement_negotiation", (committee_members_of, planners_of)),
    "agree": ("agreement_agreed", (committee_members_of, planners_of)),
    "approve": ("agreement_approved", (parties_of,)),
    "complete_signing": ("agreement_signed", (planners_of,)),
    "return_to_draft": ("agreement_returned", (planners_of,)),
    "reject": ("agreement_rejected", (planners_of,)),
    "revise": ("agreement_revised", (planners_of,)),
    "amend": ("agreement_amended", (planners_of,)),
    "start_reporting": ("agreement_reporting", (planners_of,)),
}


def recipients(agreement: Agreement, action: str, *, actor: User | None) -> list[User]:
    """The people to tell, without the person who acted (they know), each once."""
    _template, audiences = NOTIFICATIONS.get(action, ("", ()))
    people: dict[int, User] = {}
    for audience in audiences:
        for person in audience(agreement).exclude(email="").order_by("username"):
            people.setdefault(person.pk, person)
    if actor is not None:
        people.pop(actor.pk, None)
    return list(people.values())


def notify(agreement: Agreement, action: str, *, actor: User | None, comment: str = "") -> int:
    """Mail everyone who must act after `action`; returns how many messages went out."""
    if action not in NOTIFICATIONS:
        return 0
    template = NOTIFICATIONS[action][0]
    context = {
        "agreement": agreement,
        "version": latest_version(agreement),
        "actor": actor,
        "comment": comment,
    }
    sent = 0
    for person in recipients(agreement, action, actor=actor):
        try:
            send_templated_mail(template=template, to=person, context={**context, "person": person})
        except Exception:
            logger.exception("Could not mail %s about agreement %s", person.email, agreement.pk)
            continue
        sent += 1
    return sent
