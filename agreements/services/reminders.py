"""E-mail reminders N days before a SAR's deadline, to the people who still have to fill it in.

Run once a day by Celery beat (agreements.send_sar_reminders). Each (SAR, N, deadline) is claimed
by inserting its SARReminder row before any mail goes out: the unique constraint lets one run win,
so a task delivered twice, or two beat schedulers, send one reminder. The deadline is part of the
key, so a SAR reopened with a new deadline is reminded again for that one.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agreements.enums import SAR_UNSUBMITTED_STATES, Participation
from agreements.models import SAR, AgreementKPI, KPIResult, SARReminder
from governance.emails import send_templated_mail
from governance.enums import Role
from governance.models import Membership, Organisation, User

logger = logging.getLogger(__name__)


@dataclass
class Recipient:
    """A person to remind, and the KPIs they are asked about (empty: the SAR as a whole)."""

    person: User
    kpis: list[AgreementKPI] = field(default_factory=list)


def _covering(organisation: Organisation) -> Q:
    """Memberships that cover `organisation` (Membership.covers, as a query)."""
    return Q(organisation=organisation) | Q(
        includes_descendants=True, organisation__path__in=organisation.ancestor_paths
    )


def _people(organisation: Organisation, roles: list[str]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(_covering(organisation), role__in=roles),
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def is_empty(result: KPIResult) -> bool:
    """A reported KPI with neither a number nor a step done yet."""
    return (
        result.participation == Participation.REPORTED
        and result.result is None
        and not any(result.steps_done or [])
    )


def sar_reminder_recipients(sar: SAR) -> list[Recipient]:
    """The unit heads and data collectors of the organisation, and the data collectors of every
    KPI owner unit whose KPI is still empty (with those KPIs), each person once."""
    recipients: dict[int, Recipient] = {}
    for person in _people(sar.agreement.organisation, [Role.UNIT_HEAD, Role.DATA_COLLECTOR]):
        recipients.setdefault(person.pk, Recipient(person))
    empty = [
        result
        for result in sar.results.select_related("annex_kpi__kpi__owner").order_by(
            "annex_kpi__dimension_number", "annex_kpi__order", "annex_kpi__code"
        )
        if is_empty(result) and result.annex_kpi.kpi_id and result.annex_kpi.kpi.owner_id
    ]
    by_owner: dict[int, tuple[Organisation, list[AgreementKPI]]] = {}
    for result in empty:
        owner = result.annex_kpi.kpi.owner
        by_owner.setdefault(owner.pk, (owner, []))[1].append(result.annex_kpi)
    for owner, kpis in by_owner.values():
        for person in _people(owner, [Role.DATA_COLLECTOR]):
            recipient = recipients.setdefault(person.pk, Recipient(person))
            recipient.kpis.extend(kpi for kpi in kpis if kpi not in recipient.kpis)
    return list(recipients.values())


def _due_sars(deadline: date) -> list[SAR]:
    """Unsubmitted SARs of open years whose deadline (a reopening's, if later) is `deadline`."""
    candidates = (
        SAR.objects.filter(state__in=SAR_UNSUBMITTED_STATES, round__fiscal_year__is_closed=False)
        .filter(Q(round__sar_deadline=deadline) | Q(reopened_until=deadline))
        .select_related("agreement__organisation", "agreement__fiscal_year", "round__fiscal_year")
        .order_by("pk")
    )
    # The query finds both dates; the SAR's own rule says which one is its deadline.
    return [sar for sar in candidates if sar.deadline == deadline]


def _claim(sar: SAR, days_before: int) -> SARReminder | None:
    """Insert the reminder's row, or None when another run has already claimed it."""
    try:
        with transaction.atomic():
            return SARReminder.objects.create(
                sar=sar, days_before=days_before, deadline=sar.deadline
            )
    except IntegrityError:
        return None


def sar_link(sar: SAR) -> str:
    """The SAR's address for an e-mail: absolute when SITE_URL is configured."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
        "agreements:sar_detail", args=[sar.pk]
    )


def _remind(sar: SAR, days_before: int) -> int:
    sent = 0
    context = {"sar": sar, "days_before": days_before, "deadline": sar.deadline}
    context["link"] = sar_link(sar)
    for recipient in sar_reminder_recipients(sar):
        try:
            # send_templated_mail renders in the person's own language (User.language).
            send_templated_mail(
                template="sar_reminder",
                to=recipient.person,
                context={**context, "person": recipient.person, "kpis": recipient.kpis},
            )
        except Exception:
            # One bad address must not cost everyone else their reminder; the claim stays.
            logger.exception("Could not remind %s about SAR %s", recipient.person.email, sar.pk)
            continue
        sent += 1
    return sent


def sar_reminders_send(*, today: date | None = None) -> int:
    """Remind the people of every unsubmitted SAR due in N days (settings.SAR_REMINDER_DAYS).

    Returns the number of e-mails sent. Each SAR, N and deadline is claimed before mailing, so
    running this twice on one day sends each reminder once.
    """
    today = today or timezone.localdate()
    sent = 0
    for days_before in sorted(set(settings.SAR_REMINDER_DAYS)):
        for sar in _due_sars(today + timedelta(days=days_before)):
            claim = _claim(sar, days_before)
            if claim is None:
                continue
            count = _remind(sar, days_before)
            SARReminder.objects.filter(pk=claim.pk).update(recipients=count)
            sent += count
    return sent
