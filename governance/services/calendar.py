"""Fiscal years, their reporting rounds and the calendar: milestones, their workflow, reminders."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import fiscal
from governance.emails import send_templated_mail
from governance.enums import MILESTONE_OPEN_STATES, Role
from governance.errors import DomainError
from governance.models import (
    FiscalYear,
    Membership,
    Milestone,
    MilestoneTransition,
    ReportingRound,
    User,
)
from governance.services._common import _require, _set_fields
from governance.workflows import MILESTONE_WORKFLOW, transition


def _require_open_year(fiscal_year: FiscalYear) -> None:
    if fiscal_year.is_closed:
        raise DomainError(
            _("%(year)s is closed: reopen it before changing its calendar.") % {"year": fiscal_year}
        )


@transaction.atomic
def fiscal_year_create(
    *, actor: User, year: int, deadline_days: int = 15, notes: str = ""
) -> FiscalYear:
    """Create a fiscal year with its three reporting rounds (6, 9, 12 months)."""
    _require(actor, "governance.manage_fiscal_year")
    if not 2400 <= year <= 2700:
        raise DomainError(_("Type the fiscal year in the Buddhist era, e.g. 2552."), field="year")
    if FiscalYear.objects.filter(year=year).exists():
        raise DomainError(_("Fiscal year %(year)s already exists.") % {"year": year}, field="year")
    fiscal_year = FiscalYear.objects.create(year=year, notes=notes)
    for months in fiscal.REPORTING_ROUNDS:
        ReportingRound.objects.create(
            fiscal_year=fiscal_year,
            months=months,
            period_end=fiscal.round_period_end(year, months),
            sar_deadline=fiscal.default_sar_deadline(year, months, days_after=deadline_days),
            # Site visits happen at 6 and 12 months (DOMAIN.md §3).
            has_site_visit=months in (6, 12),
        )
    return fiscal_year


def fiscal_year_update(
    *, actor: User, fiscal_year: FiscalYear, is_closed: bool, notes: str
) -> FiscalYear:
    _require(actor, "governance.manage_fiscal_year", fiscal_year)
    changed = _set_fields(fiscal_year, {"is_closed": is_closed, "notes": notes})
    if changed:
        fiscal_year.save(update_fields=changed)
    return fiscal_year


def reporting_round_update(
    *,
    actor: User,
    reporting_round: ReportingRound,
    period_end: date,
    sar_deadline: date,
    has_site_visit: bool,
) -> ReportingRound:
    _require(actor, "governance.manage_fiscal_year", reporting_round.fiscal_year)
    _require_open_year(reporting_round.fiscal_year)
    start, end = reporting_round.fiscal_year.starts_on, reporting_round.fiscal_year.ends_on
    if not start <= period_end <= end:
        raise DomainError(_("The period must end within the fiscal year."), field="period_end")
    if sar_deadline < period_end:
        raise DomainError(
            _("The SAR deadline cannot come before the end of the period."), field="sar_deadline"
        )
    changed = _set_fields(
        reporting_round,
        {"period_end": period_end, "sar_deadline": sar_deadline, "has_site_visit": has_site_visit},
    )
    if changed:
        reporting_round.save(update_fields=changed)
    return reporting_round


MILESTONE_FIELDS = {
    "name_th",
    "name_en",
    "starts_on",
    "ends_on",
    "responsible",
    "responsible_committee",
    "remind_days_before",
    "notes",
}


def _check_milestone_dates(fields: dict[str, Any]) -> None:
    ends_on, starts_on = fields.get("ends_on"), fields.get("starts_on")
    if ends_on and starts_on and ends_on < starts_on:
        raise DomainError(_("The end date cannot come before the start date."), field="ends_on")


@transaction.atomic
def milestone_create(*, actor: User, fiscal_year: FiscalYear, **fields: Any) -> Milestone:
    unknown = set(fields) - MILESTONE_FIELDS
    if unknown:
        raise TypeError(f"milestone_create got unexpected fields {sorted(unknown)}")
    _require(actor, "governance.manage_milestone", Milestone(responsible=fields["responsible"]))
    _require_open_year(fiscal_year)
    _check_milestone_dates(fields)
    return Milestone.objects.create(fiscal_year=fiscal_year, **fields)


@transaction.atomic
def milestone_update(*, actor: User, milestone: Milestone, **fields: Any) -> Milestone:
    unknown = set(fields) - MILESTONE_FIELDS
    if unknown:
        raise TypeError(f"milestone_update got unexpected fields {sorted(unknown)}")
    _require(actor, "governance.manage_milestone", milestone)
    _require_open_year(milestone.fiscal_year)
    if "responsible" in fields:
        _require(actor, "governance.manage_milestone", Milestone(responsible=fields["responsible"]))
    _check_milestone_dates(
        {"starts_on": milestone.starts_on, "ends_on": milestone.ends_on, **fields}
    )
    changed = _set_fields(milestone, fields)
    if {"starts_on", "ends_on", "remind_days_before"} & set(changed):
        # A new date deserves a new reminder.
        milestone.reminder_sent_at = None
        changed.append("reminder_sent_at")
    if changed:
        milestone.save(update_fields=changed)
    return milestone


def milestone_delete(*, actor: User, milestone: Milestone) -> None:
    _require(actor, "governance.manage_milestone", milestone)
    milestone.delete()


def milestone_act(
    *, actor: User, milestone: Milestone, action: str, comment: str = ""
) -> Milestone:
    """Start, complete, cancel or reopen a milestone (MILESTONE_WORKFLOW)."""
    return transition(
        MILESTONE_WORKFLOW,
        instance=milestone,
        action_name=action,
        actor=actor,
        comment=comment,
        record=MilestoneTransition.record,
    )


def milestone_reminders_send(*, today: date | None = None) -> int:
    """E-mail the responsible admins and planning staff of milestones coming due; returns the count.

    Each milestone is claimed with a conditional UPDATE before mailing, so a task that is delivered
    twice, or two beat schedulers, send one reminder.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=60)
    candidates = Milestone.objects.filter(
        state__in=MILESTONE_OPEN_STATES,
        reminder_sent_at__isnull=True,
        starts_on__gte=today,
        starts_on__lte=horizon,
    ).select_related("responsible", "fiscal_year")
    sent = 0
    for milestone in candidates:
        if milestone.starts_on - timedelta(days=milestone.remind_days_before) > today:
            continue
        claimed = Milestone.objects.filter(pk=milestone.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
        if not claimed:
            continue
        recipients = _milestone_recipients(milestone)
        for person in recipients:
            send_templated_mail(
                template="milestone_reminder",
                to=person,
                context={"milestone": milestone, "person": person},
            )
        sent += 1
    return sent


def _milestone_recipients(milestone: Milestone) -> list[User]:
    organisation = milestone.responsible
    ancestor_paths = organisation.ancestor_paths
    covering = Q(organisation=organisation) | Q(
        includes_descendants=True, organisation__path__in=ancestor_paths
    )
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(
                covering, role__in=[Role.ADMIN, Role.PLANNING]
            ),
        )
        .exclude(email="")
        .distinct()
    )
