"""Loading the demo year's tables.

Every row is upserted by its natural key, through the services where one exists, so a second run
changes nothing and writes nothing (`make run` loads the demo each time it starts).
"""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import models, transaction

from governance import services
from governance.demo.data import (
    CALENDAR,
    COMMITTEES,
    DECK_MEETING_DAY,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    DEMO_YEAR,
    DOH,
    DOH_CORE_VALUES,
    DOH_MISSIONS,
    DOH_VISION_EN,
    DOH_VISION_TH,
    FISCAL_YEAR_NOTES,
    MOPH,
    ORGANISATIONS,
    PEOPLE,
    STRATEGIC_ISSUES,
    SUPERUSER,
    Person,
    Seat,
    doh_unit,
)
from governance.models import (
    Committee,
    CoreValue,
    FiscalYear,
    Membership,
    Milestone,
    Mission,
    Organisation,
    StrategicIssue,
    User,
)


class Login(NamedTuple):
    username: str
    role: str
    organisation: Organisation | None
    includes_descendants: bool
    password_set: bool  # False: the password was left as it was


@dataclass
class DemoReport:
    total: Counter = field(default_factory=Counter)
    created: Counter = field(default_factory=Counter)
    logins: list[Login] = field(default_factory=list)

    def count(self, what: str, created: bool) -> None:
        self.total[what] += 1
        if created:
            self.created[what] += 1


def load_demo(*, reset_passwords: bool = False) -> DemoReport:
    """Create or bring up to date the demo year; `reset_passwords` sets every demo password back."""
    report = DemoReport()
    with transaction.atomic():
        actor = _ensure_superuser(report, reset_passwords)
        organisations = _ensure_organisations(actor, report)
        _ensure_vision(actor, organisations[DOH], report)
        people = _ensure_people(actor, organisations, report, reset_passwords)
        fiscal_year = _ensure_fiscal_year(actor, report)
        committees = _ensure_committees(actor, organisations[MOPH], people, report)
        _ensure_calendar(actor, fiscal_year, organisations, committees, report)
        _ensure_strategic_issues(organisations[DOH], fiscal_year, organisations, report)
    return report


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, bool]:
    """For rows without a service: save only what differs, so a re-run writes nothing."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    return row, False


def _person_fields(person: Person) -> dict:
    return {
        "name_th": person.name_th,
        "name_en": person.name_en,
        "position_th": person.position_th,
        "position_en": person.position_en,
        "email": f"{person.username}@{DEMO_EMAIL_DOMAIN}",
        "language": "th",
    }


def _set_demo_password(user: User) -> None:
    # Set directly: the password validators rightly refuse "demo1234" for real accounts.
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])


def _ensure_superuser(report: DemoReport, reset_passwords: bool) -> User:
    """The system superuser, created first: it is the actor of every service call below."""
    fields = _person_fields(SUPERUSER)
    user = User.objects.filter(username=SUPERUSER.username).first()
    created = user is None
    if created:
        user = User.objects.create_superuser(SUPERUSER.username, password=DEMO_PASSWORD, **fields)
    else:
        _upsert(User, {"pk": user.pk}, {**fields, "is_superuser": True, "is_staff": True})
        if reset_passwords:
            _set_demo_password(user)
    report.count("people", created)
    report.logins.append(Login(user.username, "superuser", None, True, created or reset_passwords))
    return user


def _ensure_organisations(actor: User, report: DemoReport) -> dict[tuple[str, ...], Organisation]:
    organisations: dict[tuple[str, ...], Organisation] = {}
    for spec in ORGANISATIONS:
        parent = organisations[spec.parent] if spec.parent else None
        fields = {
            "kind": spec.kind,
            "name_th": spec.name_th,
            "name_en": spec.name_en,
            "abbreviation_th": spec.abbreviation_th,
            "abbreviation_en": spec.abbreviation_en,
        }
        organisation = Organisation.objects.filter(parent=parent, code=spec.code).first()
        if organisation is None:
            organisation = services.organisation_create(
                actor=actor, parent=parent, code=spec.code, **fields
            )
            report.count("organisations", True)
        else:
            services.organisation_update(actor=actor, organisation=organisation, **fields)
            report.count("organisations", False)
        organisations[spec.key] = organisation
    return organisations


def _ensure_vision(actor: User, department: Organisation, report: DemoReport) -> None:
    services.organisation_update(
        actor=actor, organisation=department, vision_th=DOH_VISION_TH, vision_en=DOH_VISION_EN
    )
    for number, (text_th, text_en) in enumerate(DOH_MISSIONS, start=1):
        _, created = _upsert(
            Mission,
            {"organisation": department, "number": number},
            {"text_th": text_th, "text_en": text_en},
        )
        report.count("missions", created)
    for order, (letter, name_th, name_en) in enumerate(DOH_CORE_VALUES, start=1):
        _, created = _upsert(
            CoreValue,
            {"organisation": department, "order": order},
            {"letter": letter, "name_th": name_th, "name_en": name_en},
        )
        report.count("core values", created)


def _ensure_people(
    actor: User,
    organisations: dict[tuple[str, ...], Organisation],
    report: DemoReport,
    reset_passwords: bool,
) -> dict[str, User]:
    people = {}
    for spec in PEOPLE:
        organisation = organisations[spec.organisation]
        fields = _person_fields(spec)
        user = User.objects.filter(username=spec.username).first()
        created = user is None
        if created:
            # The service creates the person with their role; a throwaway password satisfies its
            # validators and is replaced at once.
            user = services.person_create(
                actor=actor,
                username=spec.username,
                password=secrets.token_urlsafe(24),
                organisation=organisation,
                role=spec.role,
                includes_descendants=spec.includes_descendants,
                **fields,
            )
        else:
            services.person_update(actor=actor, person=user, **fields)
            _ensure_membership(actor, user, organisation, spec)
        if created or reset_passwords:
            _set_demo_password(user)
        report.count("people", created)
        report.logins.append(
            Login(
                user.username,
                spec.role,
                organisation,
                spec.includes_descendants,
                created or reset_passwords,
            )
        )
        people[spec.username] = user
    return people


def _ensure_membership(actor: User, user: User, organisation: Organisation, spec: Person) -> None:
    membership = Membership.objects.filter(
        user=user, organisation=organisation, role=spec.role
    ).first()
    if membership is None:
        services.membership_create(
            actor=actor,
            person=user,
            organisation=organisation,
            role=spec.role,
            includes_descendants=spec.includes_descendants,
        )
    else:
        services.membership_update(
            actor=actor, membership=membership, includes_descendants=spec.includes_descendants
        )


def _ensure_fiscal_year(actor: User, report: DemoReport) -> FiscalYear:
    fiscal_year = FiscalYear.objects.filter(year=DEMO_YEAR).first()
    created = fiscal_year is None
    if created:
        fiscal_year = services.fiscal_year_create(
            actor=actor, year=DEMO_YEAR, notes=FISCAL_YEAR_NOTES
        )
    else:
        services.fiscal_year_update(
            actor=actor,
            fiscal_year=fiscal_year,
            is_closed=fiscal_year.is_closed,
            notes=FISCAL_YEAR_NOTES,
        )
    report.count("fiscal years", created)
    return fiscal_year


def _ensure_committees(
    actor: User, ministry: Organisation, people: dict[str, User], report: DemoReport
) -> dict[str, Committee]:
    committees: dict[str, Committee] = {}
    for spec in COMMITTEES:
        fields = {
            "name_th": spec.name_th,
            "name_en": spec.name_en,
            "appointed_by_th": spec.appointed_by_th,
            "appointed_by_en": spec.appointed_by_en,
            "appointing_committee": committees.get(spec.appointing_kind),
            "appointed_on": spec.appointed_on,
            "duties_th": spec.duties_th,
            "duties_en": spec.duties_en,
        }
        committee = Committee.objects.filter(organisation=ministry, kind=spec.kind).first()
        created = committee is None
        if created:
            committee = services.committee_create(
                actor=actor, organisation=ministry, kind=spec.kind, **fields
            )
        else:
            services.committee_update(actor=actor, committee=committee, **fields)
        report.count("committees", created)
        _ensure_seats(actor, committee, spec.seats, people, report)
        committees[spec.kind] = committee
    return committees


def _ensure_seats(
    actor: User,
    committee: Committee,
    seats: tuple[Seat, ...],
    people: dict[str, User],
    report: DemoReport,
) -> None:
    existing = {member.user_id: member for member in committee.members.all()}
    for index, seat in enumerate(seats, start=1):
        person = people[seat.username]
        fields = {
            "position": seat.position,
            "capacity_th": seat.capacity_th,
            "capacity_en": seat.capacity_en,
            "order": index * 10,
        }
        member = existing.get(person.pk)
        if member is None:
            services.committee_member_add(actor=actor, committee=committee, person=person, **fields)
        else:
            services.committee_member_update(actor=actor, member=member, **fields)
        report.count("committee seats", member is None)


def _ensure_calendar(
    actor: User,
    fiscal_year: FiscalYear,
    organisations: dict[tuple[str, ...], Organisation],
    committees: dict[str, Committee],
    report: DemoReport,
) -> None:
    milestones = fiscal_year.milestones.select_related("responsible", "responsible_committee")
    existing = {milestone.name_th: milestone for milestone in milestones}
    for step in CALENDAR:
        fields = {
            "name_en": step.name_en,
            "starts_on": step.starts_on,
            "ends_on": step.ends_on,
            "responsible": organisations[step.responsible],
            "responsible_committee": committees.get(step.committee_kind),
            "notes": step.notes,
        }
        milestone = existing.get(step.name_th)
        if milestone is None:
            milestone = services.milestone_create(
                actor=actor, fiscal_year=fiscal_year, name_th=step.name_th, **fields
            )
            _set_state_as_of_meeting(actor, milestone)
            report.count("milestones", True)
        else:
            services.milestone_update(actor=actor, milestone=milestone, **fields)
            report.count("milestones", False)


def _set_state_as_of_meeting(actor: User, milestone: Milestone) -> None:
    # Only at creation: afterwards the state is the demo user's to change.
    if milestone.due_on < DECK_MEETING_DAY:
        action = "complete"
    elif milestone.starts_on <= DECK_MEETING_DAY:
        action = "start"
    else:
        return
    services.milestone_act(
        actor=actor,
        milestone=milestone,
        action=action,
        comment="สถานะ ณ วันประชุม 22 ธ.ค. 2551 (ข้อมูลสาธิต)",
    )


def _ensure_strategic_issues(
    department: Organisation,
    fiscal_year: FiscalYear,
    organisations: dict[tuple[str, ...], Organisation],
    report: DemoReport,
) -> None:
    for number, name_th, name_en, owner_code in STRATEGIC_ISSUES:
        _, created = _upsert(
            StrategicIssue,
            {"organisation": department, "fiscal_year": fiscal_year, "number": number},
            {"name_th": name_th, "name_en": name_en, "owner": organisations[doh_unit(owner_code)]},
        )
        report.count("strategic issues", created)
