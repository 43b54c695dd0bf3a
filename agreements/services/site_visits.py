"""Site visits: the working group's visit to an organisation in the 6- and 12-month rounds.

A visit is recorded against the SAR of its round: the date, the working-group members who came
(chosen from the working groups of the organisation or one above it) and anyone else present, a
finding and a follow-up per KPI result, and an overall summary with follow-ups.

Rules about the date: a visit cannot lie in the future, and it cannot come before the part of the
year its round reports on (from the day after the previous round's period, or the first day of the
fiscal year for the first round): a 12-month visit dated in November is a typing mistake.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agreements.models import SAR, SiteVisit, SiteVisitFinding
from agreements.services._common import require
from governance.buddhist_era import format_date, normalise_lang
from governance.enums import CommitteeKind
from governance.errors import DomainError
from governance.models import Organisation, ReportingRound, User

Findings = dict[int, tuple[str, str]]


def _active_lang() -> str:
    # Messages are strings when raised, so the date in one takes the era of the language now active.
    return normalise_lang(get_language())


def working_group_members(
    organisation: Organisation, *, keep: Iterable[int] = ()
) -> QuerySet[User]:
    """People who sit on a working group of `organisation` or an organisation above it.

    `keep` holds the members already recorded on a visit, so an edit never drops someone who has
    since left the working group.
    """
    paths = [*organisation.ancestor_paths, organisation.path]
    return (
        User.objects.filter(
            Q(
                committee_seats__committee__kind=CommitteeKind.WORKING_GROUP,
                committee_seats__committee__organisation__path__in=paths,
            )
            | Q(pk__in=list(keep))
        )
        .distinct()
        .order_by("name_th", "username")
    )


def visit_period_start(reporting_round: ReportingRound) -> date:
    """The first day a visit of this round may carry: the day after the previous round's period."""
    previous = (
        ReportingRound.objects.filter(
            fiscal_year_id=reporting_round.fiscal_year_id, months__lt=reporting_round.months
        )
        .order_by("-months")
        .first()
    )
    if previous is None:
        return reporting_round.fiscal_year.starts_on
    return previous.period_end + timedelta(days=1)


def _check_round(sar: SAR) -> None:
    if not sar.round.has_site_visit:
        raise DomainError(
            _("The %(months)s-month round has no site visit.") % {"months": sar.round.months}
        )
    if sar.round.fiscal_year.is_closed:
        raise DomainError(
            _("%(year)s is closed: its site visits can no longer be changed.")
            % {"year": sar.round.fiscal_year}
        )


def _check_date(sar: SAR, visited_on: date | None) -> None:
    if visited_on is None:
        raise DomainError(_("Give the date of the visit."), field="visited_on")
    if visited_on > timezone.localdate():
        raise DomainError(_("The date of a visit cannot lie in the future."), field="visited_on")
    earliest = visit_period_start(sar.round)
    if visited_on < earliest:
        raise DomainError(
            _(
                "A visit of the %(months)s-month round cannot come before %(date)s, the start "
                "of the period it reports on."
            )
            % {"months": sar.round.months, "date": format_date(earliest, "long", _active_lang())},
            field="visited_on",
        )


def _check_members(
    sar: SAR, members: Iterable[User], other_members: str, *, keep: Iterable[int] = ()
) -> list[User]:
    members = list(members)
    allowed = set(
        working_group_members(sar.agreement.organisation, keep=keep).values_list("pk", flat=True)
    )
    strangers = [person for person in members if person.pk not in allowed]
    if strangers:
        raise DomainError(
            _("%(names)s sit on no working group of %(organisation)s or above it.")
            % {
                "names": ", ".join(person.display_name for person in strangers),
                "organisation": sar.agreement.organisation.name,
            },
            field="members",
        )
    if not members and not other_members.strip():
        raise DomainError(
            _("Name at least one person who took part in the visit."), field="members"
        )
    return members


def _check_findings(sar: SAR, findings: Findings) -> Findings:
    """The findings with their texts stripped, refused if one is about another SAR's result."""
    own = set(sar.results.values_list("pk", flat=True))
    foreign = sorted(set(findings) - own)
    if foreign:
        raise DomainError(_("A finding refers to a KPI result that is not part of this SAR."))
    return {
        result_id: (finding.strip(), follow_up.strip())
        for result_id, (finding, follow_up) in findings.items()
    }


def _check_no_visit_that_day(sar: SAR, visited_on: date, *, exclude: int | None = None) -> None:
    others = SiteVisit.objects.filter(sar=sar, visited_on=visited_on).exclude(pk=exclude)
    if others.exists():
        raise DomainError(
            _("A visit on that date is already recorded for this SAR; edit that one instead."),
            field="visited_on",
        )


def _save_findings(visit: SiteVisit, findings: Findings) -> None:
    """Upsert one row per KPI with something written; a KPI left blank keeps no row."""
    existing = {row.result_id: row for row in visit.findings.all()}
    to_create, to_update, to_delete = [], [], []
    for result_id, (finding, follow_up) in findings.items():
        row = existing.pop(result_id, None)
        if not finding and not follow_up:
            if row is not None:
                to_delete.append(row.pk)
        elif row is None:
            to_create.append(
                SiteVisitFinding(
                    visit=visit, result_id=result_id, finding=finding, follow_up=follow_up
                )
            )
        elif (row.finding, row.follow_up) != (finding, follow_up):
            row.finding, row.follow_up = finding, follow_up
            to_update.append(row)
    # Results the caller did not mention keep their findings (a form shows every result).
    if to_delete:
        SiteVisitFinding.objects.filter(pk__in=to_delete).delete()
    if to_create:
        SiteVisitFinding.objects.bulk_create(to_create)
    if to_update:
        SiteVisitFinding.objects.bulk_update(to_update, ["finding", "follow_up"])


def _load_sar(pk: int) -> SAR:
    return SAR.objects.select_related(
        "agreement__organisation", "round__fiscal_year", "agreement__fiscal_year"
    ).get(pk=pk)


@transaction.atomic
def site_visit_record(
    *,
    actor: User,
    sar: SAR,
    visited_on: date,
    members: Iterable[User],
    other_members: str = "",
    summary: str = "",
    follow_ups: str = "",
    findings: Findings | None = None,
) -> SiteVisit:
    """Record the working group's visit linked to `sar`, with a finding per KPI result.

    `findings` maps KPIResult ids of this SAR to (finding, follow-up); a pair of blanks is no
    finding. Refused for a round without site visits, a closed year, a date in the future or
    before the round's period, a member who sits on no working group above the organisation.
    """
    sar = _load_sar(sar.pk)
    require(actor, "agreements.record_site_visit", sar)
    _check_round(sar)
    _check_date(sar, visited_on)
    _check_no_visit_that_day(sar, visited_on)
    members = _check_members(sar, members, other_members)
    findings = _check_findings(sar, findings or {})
    visit = SiteVisit.objects.create(
        sar=sar,
        visited_on=visited_on,
        other_members=other_members.strip(),
        summary=summary.strip(),
        follow_ups=follow_ups.strip(),
        recorded_by=actor,
    )
    visit.members.set(members)
    _save_findings(visit, findings)
    return visit


@transaction.atomic
def site_visit_update(
    *,
    actor: User,
    visit: SiteVisit,
    visited_on: date,
    members: Iterable[User],
    other_members: str = "",
    summary: str = "",
    follow_ups: str = "",
    findings: Findings | None = None,
) -> SiteVisit:
    """Change a recorded visit; the same rules as recording it.

    The row is locked first, so two people saving the same visit at once apply one after the
    other instead of mixing their findings.
    """
    visit = SiteVisit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    sar = _load_sar(visit.sar_id)
    visit.sar = sar
    require(actor, "agreements.record_site_visit", visit)
    _check_round(sar)
    _check_date(sar, visited_on)
    _check_no_visit_that_day(sar, visited_on, exclude=visit.pk)
    members = _check_members(
        sar, members, other_members, keep=visit.members.values_list("pk", flat=True)
    )
    findings = _check_findings(sar, findings or {})
    visit.visited_on = visited_on
    visit.other_members = other_members.strip()
    visit.summary = summary.strip()
    visit.follow_ups = follow_ups.strip()
    visit.save(update_fields=["visited_on", "other_members", "summary", "follow_ups"])
    visit.members.set(members)
    _save_findings(visit, findings)
    return visit
