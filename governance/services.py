"""Every write of the governance app. Keyword-only arguments; the actor is always named.

Permission checks live here as well as in views, so a management command or a Celery task cannot
bypass them by accident.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import fiscal
from governance.emails import send_templated_mail
from governance.enums import ALLOWED_CHILD_KINDS, MILESTONE_OPEN_STATES, OrganisationKind, Role
from governance.errors import ActionForbidden, DomainError
from governance.models import (
    Committee,
    CommitteeMember,
    FiscalYear,
    Membership,
    Milestone,
    MilestoneTransition,
    Organisation,
    ReportingRound,
    User,
    path_segment,
)
from governance.workflows import MILESTONE_WORKFLOW, transition


def _require(actor: User, permission: str, obj: Any = None) -> None:
    if not actor.has_perm(permission, obj):
        raise ActionForbidden(_("You do not have permission to do this."))


def _set_fields(instance, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# --- Organisations ---------------------------------------------------------------------------


def _check_child_kind(parent: Organisation | None, kind: str) -> None:
    if parent is None:
        if kind != OrganisationKind.GOVERNMENT and kind != OrganisationKind.MINISTRY:
            raise DomainError(
                _("Only the government or a ministry can stand at the top of the tree."),
                field="kind",
            )
        return
    if kind not in ALLOWED_CHILD_KINDS[parent.kind]:
        raise DomainError(
            _("A %(kind)s cannot be placed under a %(parent_kind)s.")
            % {
                "kind": OrganisationKind(kind).label,
                "parent_kind": OrganisationKind(parent.kind).label,
            },
            field="kind",
        )


def _check_code_free(parent: Organisation | None, code: str, exclude_pk: int | None = None) -> None:
    siblings = Organisation.objects.filter(parent=parent, code__iexact=code)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise DomainError(
            _("The code “%(code)s” is already used by another organisation under the same parent.")
            % {"code": code},
            field="code",
        )


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    parent: Organisation | None,
    kind: str,
    code: str,
    name_th: str,
    name_en: str = "",
    abbreviation_th: str = "",
    abbreviation_en: str = "",
    vision_th: str = "",
    vision_en: str = "",
) -> Organisation:
    if parent is None:
        if not actor.is_superuser:
            raise ActionForbidden(
                _("Only a system administrator can add a top-level organisation.")
            )
    else:
        _require(actor, "governance.manage_organisation", parent)
    _check_child_kind(parent, kind)
    _check_code_free(parent, code)
    # The path needs the new row's id: insert with a unique placeholder, then set the real path.
    organisation = Organisation(
        parent=parent,
        kind=kind,
        code=code,
        name_th=name_th,
        name_en=name_en,
        abbreviation_th=abbreviation_th,
        abbreviation_en=abbreviation_en,
        vision_th=vision_th,
        vision_en=vision_en,
        path=f"~{timezone.now().timestamp()}-{code}",
    )
    organisation.save()
    organisation.path = (parent.path if parent else "") + path_segment(organisation.pk)
    organisation.save(update_fields=["path"])
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    _require(actor, "governance.manage_organisation", organisation)
    allowed = {
        "kind",
        "code",
        "name_th",
        "name_en",
        "abbreviation_th",
        "abbreviation_en",
        "vision_th",
        "vision_en",
        "is_active",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"organisation_update got unexpected fields {sorted(unknown)}")
    if "code" in fields:
        _check_code_free(organisation.parent, fields["code"], exclude_pk=organisation.pk)
    if "kind" in fields and fields["kind"] != organisation.kind:
        _check_child_kind(organisation.parent, fields["kind"])
        for child in organisation.children.all():
            if child.kind not in ALLOWED_CHILD_KINDS[fields["kind"]]:
                raise DomainError(
                    _("The kind cannot change: %(child)s could no longer stay under it.")
                    % {"child": child},
                    field="kind",
                )
    changed = _set_fields(organisation, fields)
    if changed:
        organisation.save(update_fields=changed)
    return organisation


@transaction.atomic
def organisation_move(
    *, actor: User, organisation: Organisation, new_parent: Organisation
) -> Organisation:
    """Move a node and its whole subtree under `new_parent`, in one UPDATE of the paths."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require(actor, "governance.manage_organisation", organisation)
    _require(actor, "governance.manage_organisation", new_parent)
    if new_parent.is_within(organisation):
        raise DomainError(
            _("An organisation cannot be moved under itself or one of its own units."),
            field="parent",
        )
    if new_parent.pk == organisation.parent_id:
        return organisation
    _check_child_kind(new_parent, organisation.kind)
    _check_code_free(new_parent, organisation.code, exclude_pk=organisation.pk)
    old_path = organisation.path
    new_path = new_parent.path + path_segment(organisation.pk)
    Organisation.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    Organisation.objects.filter(pk=organisation.pk).update(parent=new_parent)
    organisation.refresh_from_db()
    return organisation


# --- People and memberships ---------------------------------------------------------------------

PERSON_FIELDS = {
    "name_th",
    "name_en",
    "position_th",
    "position_en",
    "phone",
    "email",
    "language",
    "is_active",
}


@transaction.atomic
def person_create(
    *,
    actor: User,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    includes_descendants: bool = False,
    **fields: Any,
) -> User:
    """Create a person together with their first role, so nobody exists outside every scope."""
    _require(actor, "governance.manage_membership", organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This user name is taken."), field="username")
    person = User(username=username, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    person.set_password(password)
    person.save()
    Membership.objects.create(
        user=person, organisation=organisation, role=role, includes_descendants=includes_descendants
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: User, **fields: Any) -> User:
    _require(actor, "governance.manage_person", person)
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"person_update got unexpected fields {sorted(unknown)}")
    if person.pk == actor.pk and fields.get("is_active") is False:
        raise DomainError(_("You cannot deactivate your own account."), field="is_active")
    changed = _set_fields(person, fields)
    if changed:
        person.save(update_fields=changed)
    return person


def person_set_password(*, actor: User, person: User, password: str) -> User:
    _require(actor, "governance.manage_person", person)
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    person.set_password(password)
    person.save(update_fields=["password"])
    return person


def person_set_language(*, person: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Unknown language."), field="language")
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])
    return person


def membership_create(
    *,
    actor: User,
    person: User,
    organisation: Organisation,
    role: str,
    includes_descendants: bool = False,
) -> Membership:
    _require(actor, "governance.manage_membership", organisation)
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=person,
                organisation=organisation,
                role=role,
                includes_descendants=includes_descendants,
            )
    except IntegrityError:
        raise DomainError(
            _("%(person)s already has this role in %(organisation)s.")
            % {"person": person, "organisation": organisation},
            field="role",
        ) from None


def membership_update(
    *, actor: User, membership: Membership, includes_descendants: bool
) -> Membership:
    _require(actor, "governance.manage_membership", membership)
    if membership.includes_descendants != includes_descendants:
        membership.includes_descendants = includes_descendants
        membership.save(update_fields=["includes_descendants"])
    return membership


def membership_delete(*, actor: User, membership: Membership) -> None:
    _require(actor, "governance.manage_membership", membership)
    if (
        membership.user_id == actor.pk
        and membership.role == Role.ADMIN
        and not actor.is_superuser
        and not Membership.objects.filter(user=actor, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(_("You cannot remove your own last administrator role."))
    membership.delete()


# --- Committees -----------------------------------------------------------------------------------

COMMITTEE_FIELDS = {
    "kind",
    "name_th",
    "name_en",
    "appointed_by_th",
    "appointed_by_en",
    "appointing_committee",
    "order_reference",
    "appointed_on",
    "duties_th",
    "duties_en",
}


def _check_appointing_committee(committee_pk: int | None, appointing: Committee | None) -> None:
    # Walk up the appointment chain: a committee cannot (indirectly) appoint itself.
    seen = set()
    while appointing is not None:
        if appointing.pk == committee_pk or appointing.pk in seen:
            raise DomainError(
                _("A committee cannot be appointed by itself or by a committee it appointed."),
                field="appointing_committee",
            )
        seen.add(appointing.pk)
        appointing = appointing.appointing_committee


@transaction.atomic
def committee_create(*, actor: User, organisation: Organisation, **fields: Any) -> Committee:
    _require(actor, "governance.manage_committee", organisation)
    unknown = set(fields) - COMMITTEE_FIELDS
    if unknown:
        raise TypeError(f"committee_create got unexpected fields {sorted(unknown)}")
    return Committee.objects.create(organisation=organisation, **fields)


@transaction.atomic
def committee_update(*, actor: User, committee: Committee, **fields: Any) -> Committee:
    _require(actor, "governance.manage_committee", committee)
    unknown = set(fields) - COMMITTEE_FIELDS
    if unknown:
        raise TypeError(f"committee_update got unexpected fields {sorted(unknown)}")
    if "appointing_committee" in fields:
        _check_appointing_committee(committee.pk, fields["appointing_committee"])
    changed = _set_fields(committee, fields)
    if changed:
        committee.save(update_fields=changed)
    return committee


def _check_chair_free(committee: Committee, position: str, exclude_pk: int | None = None) -> None:
    if position != "chair":
        return
    chairs = committee.members.filter(position="chair")
    if exclude_pk:
        chairs = chairs.exclude(pk=exclude_pk)
    if chairs.exists():
        raise DomainError(_("This committee already has a chair."), field="position")


@transaction.atomic
def committee_member_add(
    *,
    actor: User,
    committee: Committee,
    person: User,
    position: str,
    capacity_th: str = "",
    capacity_en: str = "",
    order: int | None = None,
) -> CommitteeMember:
    _require(actor, "governance.manage_committee", committee)
    if committee.members.filter(user=person).exists():
        raise DomainError(
            _("%(person)s is already a member of this committee.") % {"person": person},
            field="user",
        )
    _check_chair_free(committee, position)
    if order is None:
        order = (committee.members.count() + 1) * 10
    return CommitteeMember.objects.create(
        committee=committee,
        user=person,
        position=position,
        capacity_th=capacity_th,
        capacity_en=capacity_en,
        order=order,
    )


@transaction.atomic
def committee_member_update(
    *, actor: User, member: CommitteeMember, **fields: Any
) -> CommitteeMember:
    _require(actor, "governance.manage_committee", member.committee)
    if "position" in fields:
        _check_chair_free(member.committee, fields["position"], exclude_pk=member.pk)
    changed = _set_fields(
        member,
        {
            k: v
            for k, v in fields.items()
            if k in {"position", "capacity_th", "capacity_en", "order"}
        },
    )
    if changed:
        member.save(update_fields=changed)
    return member


def committee_member_remove(*, actor: User, member: CommitteeMember) -> None:
    _require(actor, "governance.manage_committee", member.committee)
    member.delete()


# --- Fiscal years, rounds and the calendar ----------------------------------------------------------


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
