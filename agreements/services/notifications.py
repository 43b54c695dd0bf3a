"""E-mail to the people who must act next after an agreement changes state.

Sent after the commit (the transition schedules it), one message per person, in each person's
language. A mail server that fails must not undo or hide a change that has already happened, so
failures are logged, not raised.
"""

import logging
from collections.abc import Callable

from django.db.models import Q, QuerySet

from agreements.enums import Participation
from agreements.models import SAR, Agreement
from agreements.selectors import latest_version
from governance.emails import send_templated_mail
from governance.enums import Role
from governance.models import Membership, Organisation, User

logger = logging.getLogger(__name__)


def holders_of(organisation: Organisation, role: str) -> QuerySet[User]:
    """Active people whose membership with `role` covers `organisation` (there or from above)."""
    covering = Q(organisation=organisation) | Q(
        includes_descendants=True, organisation__path__in=organisation.ancestor_paths
    )
    return User.objects.filter(
        is_active=True,
        memberships__in=Membership.objects.filter(covering, role=role),
    )


def planners_of(agreement: Agreement) -> QuerySet[User]:
    """Planning staff whose role covers the agreement's organisation."""
    return holders_of(agreement.organisation, Role.PLANNING)


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


# --- Self-assessment reports ---------------------------------------------------------------------

# The message after each SAR action, and who gets it: the KPI owners verify a submitted report,
# the planning unit approves a verified one, the unit head acts on everything else.
SAR_NOTIFICATIONS: dict[str, str] = {
    "submit": "sar_submitted",
    "return_to_unit": "sar_returned",
    "complete_verification": "sar_verified",
    "approve": "sar_approved",
    "reopen": "sar_reopened",
}


def kpi_owners_of(sar: SAR) -> dict[int, tuple[User, list[str]]]:
    """The KPI owners who verify `sar`, each with the codes of the KPIs their units own."""
    codes_by_owner: dict[int, list[str]] = {}
    owners: dict[int, Organisation] = {}
    results = sar.results.filter(participation=Participation.REPORTED).select_related(
        "annex_kpi__kpi__owner"
    )
    for result in results.order_by("annex_kpi__order", "annex_kpi__code"):
        kpi = result.annex_kpi.kpi
        # A KPI deleted from the framework leaves its annex row: its organisation verifies it.
        owner = kpi.owner if kpi is not None else sar.agreement.organisation
        owners[owner.pk] = owner
        codes_by_owner.setdefault(owner.pk, []).append(result.annex_kpi.code)
    people: dict[int, tuple[User, list[str]]] = {}
    for owner_id, owner in owners.items():
        for person in holders_of(owner, Role.KPI_OWNER).exclude(email="").order_by("username"):
            codes = people.setdefault(person.pk, (person, []))[1]
            codes.extend(code for code in codes_by_owner[owner_id] if code not in codes)
    return people


def sar_recipients(sar: SAR, action: str, *, actor: User | None) -> list[tuple[User, list[str]]]:
    """The people to tell about `action` on `sar` (never the actor), with the KPI codes for them."""
    if action not in SAR_NOTIFICATIONS:
        return []
    if action == "submit":
        people = kpi_owners_of(sar)
    else:
        audience = (
            planners_of(sar.agreement)
            if action == "complete_verification"
            else holders_of(sar.agreement.organisation, Role.UNIT_HEAD)
        )
        people = {
            person.pk: (person, []) for person in audience.exclude(email="").order_by("username")
        }
    if actor is not None:
        people.pop(actor.pk, None)
    return list(people.values())


def notify_sar(sar: SAR, action: str, *, actor: User | None, comment: str = "") -> int:
    """Mail the people who act next after `action` on a SAR; returns how many messages went out."""
    if action not in SAR_NOTIFICATIONS:
        return 0
    sar = SAR.objects.select_related("agreement__organisation", "round").get(pk=sar.pk)
    context = {"sar": sar, "agreement": sar.agreement, "actor": actor, "comment": comment}
    sent = 0
    for person, codes in sar_recipients(sar, action, actor=actor):
        try:
            send_templated_mail(
                template=SAR_NOTIFICATIONS[action],
                to=person,
                context={**context, "person": person, "codes": codes},
            )
        except Exception:
            logger.exception("Could not mail %s about SAR %s", person.email, sar.pk)
            continue
        sent += 1
    return sent
