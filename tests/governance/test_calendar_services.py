"""Fiscal years, reporting rounds, the milestone workflow and its reminders (governance.services)."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext, override

from governance import services
from governance.enums import MILESTONE_FINAL_STATES, MilestoneState, Role
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed
from governance.models import FiscalYear, Milestone, MilestoneTransition, ReportingRound
from governance.workflows import MILESTONE_WORKFLOW
from tests.conftest import make_person
from tests.factories import FiscalYearFactory, MilestoneFactory


@pytest.fixture(autouse=True)
def _english():
    # Error messages become strings when raised: assert them in English, whatever catalogues exist.
    with override("en"):
        yield


# --- The workflow table ----------------------------------------------------------------------------


def test_every_milestone_state_is_reachable_from_planned():
    assert MILESTONE_WORKFLOW.reachable_states(MilestoneState.PLANNED) == set(MilestoneState.values)


@pytest.mark.parametrize("state", sorted(set(MilestoneState.values) - MILESTONE_FINAL_STATES))
def test_every_open_milestone_state_has_an_action_out(state):
    assert [a.name for a in MILESTONE_WORKFLOW.actions if state in a.sources]


def test_milestone_actions_name_known_states_and_never_loop_onto_their_source():
    for action in MILESTONE_WORKFLOW.actions:
        assert action.sources <= set(MilestoneState.values)
        assert action.target in MilestoneState.values
        assert action.target not in action.sources


def test_no_code_outside_the_workflow_assigns_a_state_field():
    """STYLE.md §3: `transition()` is the only place a state is written."""
    assignment = re.compile(
        r"\.state\s*=(?!=)|\.update\([^)]*\bstate\s*=|setattr\([^,]+,\s*[\"']state[\"']"
    )
    offenders = []
    for app in ("governance", "kpis", "agreements", "pmqa"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if path.name == "workflows.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if assignment.search(line.split("#")[0]):
                    offenders.append(
                        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
                    )
    assert offenders == []


# --- The milestone workflow ------------------------------------------------------------------------

# (action, source state, target state) for every source of every action.
HAPPY_PATHS = [
    (action.name, source, action.target)
    for action in MILESTONE_WORKFLOW.actions
    for source in sorted(action.sources)
]
FORBIDDEN_SOURCES = [
    (action.name, state)
    for action in MILESTONE_WORKFLOW.actions
    for state in sorted(set(MilestoneState.values) - action.sources)
]


@pytest.fixture
def milestone(tree):
    return MilestoneFactory(
        responsible=tree.planning_unit, fiscal_year=FiscalYearFactory(year=2552)
    )


def _comment_for(action_name: str) -> str:
    return "ประชุมเลื่อนออกไป" if MILESTONE_WORKFLOW.action(action_name).needs_comment else ""


@pytest.mark.parametrize(("action", "source", "target"), HAPPY_PATHS)
def test_milestone_act_moves_the_state_and_records_one_history_row(
    milestone, planning_officer, action, source, target
):
    Milestone.objects.filter(pk=milestone.pk).update(state=source)
    comment = _comment_for(action)

    result = services.milestone_act(
        actor=planning_officer, milestone=milestone, action=action, comment=comment
    )

    assert result.state == target
    milestone.refresh_from_db()
    assert milestone.state == target
    history = list(
        MilestoneTransition.objects.filter(milestone=milestone).values(
            "action", "from_state", "to_state", "actor", "comment"
        )
    )
    assert history == [
        {
            "action": action,
            "from_state": source,
            "to_state": target,
            "actor": planning_officer.pk,
            "comment": comment,
        }
    ]


def test_milestone_history_row_records_when_it_happened(milestone, department_admin):
    before = timezone.now()
    services.milestone_act(actor=department_admin, milestone=milestone, action="start")
    row = MilestoneTransition.objects.get(milestone=milestone)
    assert before <= row.created_at <= timezone.now()


@pytest.mark.parametrize(("action", "state"), FORBIDDEN_SOURCES)
def test_milestone_act_refuses_a_wrong_source_state_and_changes_nothing(
    milestone, department_admin, action, state
):
    Milestone.objects.filter(pk=milestone.pk).update(state=state)

    with pytest.raises(TransitionNotAllowed):
        services.milestone_act(
            actor=department_admin, milestone=milestone, action=action, comment=_comment_for(action)
        )

    milestone.refresh_from_db()
    assert milestone.state == state
    assert not MilestoneTransition.objects.exists()


def test_milestone_act_refuses_someone_without_a_planning_or_admin_role(milestone, unit_head):
    with pytest.raises(ActionForbidden):
        services.milestone_act(actor=unit_head, milestone=milestone, action="start")
    milestone.refresh_from_db()
    assert milestone.state == MilestoneState.PLANNED
    assert not MilestoneTransition.objects.exists()


def test_milestone_act_refuses_an_admin_of_another_ministry(milestone, other_admin):
    with pytest.raises(ActionForbidden):
        services.milestone_act(actor=other_admin, milestone=milestone, action="complete")


@pytest.mark.parametrize("action", [a.name for a in MILESTONE_WORKFLOW.actions if a.needs_comment])
@pytest.mark.parametrize("comment", ["", "   \n"])
def test_actions_that_need_a_reason_refuse_an_empty_comment(
    milestone, department_admin, action, comment
):
    source = sorted(MILESTONE_WORKFLOW.action(action).sources)[0]
    Milestone.objects.filter(pk=milestone.pk).update(state=source)

    with pytest.raises(DomainError) as error:
        services.milestone_act(
            actor=department_admin, milestone=milestone, action=action, comment=comment
        )

    assert error.value.field == "comment"
    assert error.value.message == "Please give a reason."
    milestone.refresh_from_db()
    assert milestone.state == source


def test_the_actions_that_need_a_reason_are_cancel_and_reopen():
    assert {a.name for a in MILESTONE_WORKFLOW.actions if a.needs_comment} == {"cancel", "reopen"}


def test_milestone_act_refuses_an_unknown_action(milestone, department_admin):
    with pytest.raises(DomainError) as error:
        services.milestone_act(actor=department_admin, milestone=milestone, action="approve")
    assert error.value.message == "Unknown action “approve”."


def test_available_actions_follow_state_and_role(milestone, department_admin, unit_head):
    assert [a.name for a in MILESTONE_WORKFLOW.available(milestone, department_admin)] == [
        "start",
        "complete",
        "cancel",
    ]
    assert MILESTONE_WORKFLOW.available(milestone, unit_head) == []
    milestone.state = MilestoneState.DONE  # an unsaved copy, only to ask the table
    assert [a.name for a in MILESTONE_WORKFLOW.available(milestone, department_admin)] == ["reopen"]


# --- Fiscal years and rounds -----------------------------------------------------------------------


def test_fiscal_year_create_makes_three_rounds_with_their_dates(department_admin):
    fiscal_year = services.fiscal_year_create(actor=department_admin, year=2552, deadline_days=15)

    rounds = list(
        fiscal_year.rounds.values_list("months", "period_end", "sar_deadline", "has_site_visit")
    )
    assert rounds == [
        (6, date(2009, 3, 31), date(2009, 4, 15), True),
        (9, date(2009, 6, 30), date(2009, 7, 15), False),
        (12, date(2009, 9, 30), date(2009, 10, 15), True),
    ]
    assert (fiscal_year.starts_on, fiscal_year.ends_on) == (date(2008, 10, 1), date(2009, 9, 30))


def test_fiscal_year_create_uses_the_given_days_for_every_deadline(department_admin):
    fiscal_year = services.fiscal_year_create(actor=department_admin, year=2553, deadline_days=0)
    assert [(r.period_end, r.sar_deadline) for r in fiscal_year.rounds.all()] == [
        (date(2010, 3, 31), date(2010, 3, 31)),
        (date(2010, 6, 30), date(2010, 6, 30)),
        (date(2010, 9, 30), date(2010, 9, 30)),
    ]


def test_fiscal_year_create_refuses_a_year_that_exists(department_admin):
    FiscalYearFactory(year=2552)
    with pytest.raises(DomainError) as error:
        services.fiscal_year_create(actor=department_admin, year=2552)
    assert (error.value.field, error.value.message) == ("year", "Fiscal year 2552 already exists.")
    assert ReportingRound.objects.count() == 3


@pytest.mark.parametrize("year", [2009, 2399, 2701])
def test_fiscal_year_create_refuses_a_christian_era_or_absurd_year(department_admin, year):
    with pytest.raises(DomainError) as error:
        services.fiscal_year_create(actor=department_admin, year=year)
    assert error.value.field == "year"
    assert error.value.message == "Type the fiscal year in the Buddhist era, e.g. 2552."
    assert not FiscalYear.objects.exists()


def test_fiscal_year_create_refuses_someone_who_is_no_admin(planning_officer):
    with pytest.raises(ActionForbidden):
        services.fiscal_year_create(actor=planning_officer, year=2552)
    assert not FiscalYear.objects.exists()


@pytest.fixture
def six_months(tree):
    return FiscalYearFactory(year=2552).rounds.get(months=6)


def test_reporting_round_update_saves_the_dates_and_the_site_visit(six_months, department_admin):
    services.reporting_round_update(
        actor=department_admin,
        reporting_round=six_months,
        period_end=date(2009, 3, 31),
        sar_deadline=date(2009, 4, 30),
        has_site_visit=False,
    )
    six_months.refresh_from_db()
    assert (six_months.period_end, six_months.sar_deadline, six_months.has_site_visit) == (
        date(2009, 3, 31),
        date(2009, 4, 30),
        False,
    )


@pytest.mark.parametrize("period_end", [date(2008, 9, 30), date(2009, 10, 1)])
def test_reporting_round_update_refuses_a_period_end_outside_the_year(
    six_months, department_admin, period_end
):
    with pytest.raises(DomainError) as error:
        services.reporting_round_update(
            actor=department_admin,
            reporting_round=six_months,
            period_end=period_end,
            sar_deadline=date(2009, 11, 1),
            has_site_visit=True,
        )
    assert (error.value.field, error.value.message) == (
        "period_end",
        "The period must end within the fiscal year.",
    )
    six_months.refresh_from_db()
    assert six_months.period_end == date(2009, 3, 31)


@pytest.mark.parametrize("period_end", [date(2008, 10, 1), date(2009, 9, 30)])
def test_reporting_round_update_accepts_the_first_and_last_day_of_the_year(
    six_months, department_admin, period_end
):
    services.reporting_round_update(
        actor=department_admin,
        reporting_round=six_months,
        period_end=period_end,
        sar_deadline=period_end,
        has_site_visit=True,
    )
    six_months.refresh_from_db()
    assert six_months.period_end == period_end


def test_reporting_round_update_refuses_a_deadline_before_the_period_end(
    six_months, department_admin
):
    with pytest.raises(DomainError) as error:
        services.reporting_round_update(
            actor=department_admin,
            reporting_round=six_months,
            period_end=date(2009, 3, 31),
            sar_deadline=date(2009, 3, 30),
            has_site_visit=True,
        )
    assert (error.value.field, error.value.message) == (
        "sar_deadline",
        "The SAR deadline cannot come before the end of the period.",
    )


def test_reporting_round_update_refuses_someone_who_is_no_admin(six_months, unit_head):
    with pytest.raises(ActionForbidden):
        services.reporting_round_update(
            actor=unit_head,
            reporting_round=six_months,
            period_end=date(2009, 3, 31),
            sar_deadline=date(2009, 5, 1),
            has_site_visit=True,
        )
    six_months.refresh_from_db()
    assert six_months.sar_deadline == date(2009, 4, 15)


# --- Reminders -------------------------------------------------------------------------------------

TODAY = date(2008, 11, 24)


@pytest.fixture
def recipients(tree):
    """Who covers กองแผนงาน as admin or planning staff, and who does not."""
    return {
        "department_admin": make_person(
            tree.department, Role.ADMIN, below=True, username="doh_admin"
        ),
        "unit_planner": make_person(tree.planning_unit, Role.PLANNING, username="plan_planner"),
        # Covers only the department row itself, not the units below it.
        "department_only_admin": make_person(
            tree.department, Role.ADMIN, username="doh_only_admin"
        ),
        "unit_head": make_person(tree.planning_unit, Role.UNIT_HEAD, username="plan_head"),
        "sibling_planner": make_person(
            tree.secretary_office, Role.PLANNING, username="sec_planner"
        ),
        "other_admin": make_person(
            tree.other_ministry, Role.ADMIN, below=True, username="mof_admin"
        ),
    }


def test_reminder_goes_once_to_the_admins_and_planners_covering_the_unit(
    tree, recipients, mailoutbox
):
    milestone = MilestoneFactory(
        responsible=tree.planning_unit,
        starts_on=TODAY + timedelta(days=7),
        remind_days_before=7,
        name_th="เจรจาตัวชี้วัด",
        fiscal_year=FiscalYearFactory(year=2552),
    )

    assert services.milestone_reminders_send(today=TODAY) == 1
    assert services.milestone_reminders_send(today=TODAY) == 0

    assert sorted(m.to[0] for m in mailoutbox) == [
        "doh_admin@example.go.th",
        "plan_planner@example.go.th",
    ]
    with override("th"):  # the recipients' language
        subject = gettext("Reminder: “%(name)s” on %(date)s")
    assert mailoutbox[0].subject == subject % {"name": "เจรจาตัวชี้วัด", "date": "1 ธ.ค. 2551"}
    milestone.refresh_from_db()
    assert milestone.reminder_sent_at is not None


def test_reminder_waits_until_remind_days_before(tree, recipients, mailoutbox):
    MilestoneFactory(
        responsible=tree.planning_unit,
        starts_on=TODAY + timedelta(days=8),
        remind_days_before=7,
        fiscal_year=FiscalYearFactory(year=2552),
    )
    assert services.milestone_reminders_send(today=TODAY) == 0
    assert mailoutbox == []

    assert services.milestone_reminders_send(today=TODAY + timedelta(days=1)) == 1
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("starts_in_days", "state"),
    [
        (-1, MilestoneState.PLANNED),  # already past: too late for a reminder
        (3, MilestoneState.DONE),
        (3, MilestoneState.CANCELLED),
    ],
)
def test_no_reminder_for_past_or_closed_milestones(
    tree, recipients, mailoutbox, starts_in_days, state
):
    milestone = MilestoneFactory(
        responsible=tree.planning_unit,
        starts_on=TODAY + timedelta(days=starts_in_days),
        fiscal_year=FiscalYearFactory(year=2552),
    )
    Milestone.objects.filter(pk=milestone.pk).update(state=state)
    assert services.milestone_reminders_send(today=TODAY) == 0
    assert mailoutbox == []


def test_reminder_for_an_in_progress_milestone_is_sent(tree, recipients, mailoutbox):
    milestone = MilestoneFactory(
        responsible=tree.planning_unit, starts_on=TODAY, fiscal_year=FiscalYearFactory(year=2552)
    )
    Milestone.objects.filter(pk=milestone.pk).update(state=MilestoneState.IN_PROGRESS)
    assert services.milestone_reminders_send(today=TODAY) == 1
    assert len(mailoutbox) == 2


def test_moving_the_date_allows_a_new_reminder(tree, recipients, mailoutbox):
    milestone = MilestoneFactory(
        responsible=tree.planning_unit,
        starts_on=TODAY + timedelta(days=2),
        fiscal_year=FiscalYearFactory(year=2552),
    )
    services.milestone_reminders_send(today=TODAY)
    services.milestone_update(
        actor=recipients["department_admin"],
        milestone=milestone,
        starts_on=TODAY + timedelta(days=5),
    )
    assert services.milestone_reminders_send(today=TODAY) == 1
    assert len(mail.outbox) == 4


def test_a_closed_year_refuses_calendar_changes(tree, department_admin):
    fiscal_year = FiscalYearFactory(year=2553)
    milestone = MilestoneFactory(fiscal_year=fiscal_year, responsible=tree.department)
    fiscal_year.is_closed = True
    fiscal_year.save()
    with pytest.raises(DomainError):
        services.milestone_create(
            actor=department_admin,
            fiscal_year=fiscal_year,
            name_th="ใหม่",
            starts_on=milestone.starts_on,
            responsible=tree.department,
        )
    with pytest.raises(DomainError):
        services.milestone_update(actor=department_admin, milestone=milestone, name_th="แก้ไข")
