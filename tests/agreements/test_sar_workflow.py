"""The SAR workflow: the table, and each button action through sar_act (submit, approve, reopen,
return_to_unit) on its happy path, forbidden source states, permissions, history rows, deadline
rules and after-commit side effects."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from agreements import services
from agreements.enums import ResultStatus, SARState
from agreements.models import SAR, KPIResult, SARTransition
from agreements.workflows import SAR_BUTTON_ACTIONS, SAR_WORKFLOW
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed
from tests.agreements import test_sar_services as world
from tests.agreements.sar_world import set_deadlines
from tests.agreements.test_sar_services import (
    CODES,
    english_long,
    fill,
    result,
    revision,
    set_sar_state,
    submit,
    thai_long,
    verify,
)

# The SAR world's fixtures, shared with the services tests (people, the SARs, the recompute
# recorder); assigned, not imported, so pytest finds them here under the same names.
people = world.people
sars = world.sars
sar = world.sar
recomputes = world.recomputes

D = Decimal
R = SARState


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def act(sar: SAR, actor, action: str, **kwargs) -> SAR:
    """Take an action and bring the caller's copy up to date, as the next request would."""
    services.sar_act(actor=actor, sar=sar, action=action, **kwargs)
    sar.refresh_from_db()
    return sar


def to_verified(sar: SAR, people) -> SAR:
    submit(sar, people)
    for code in CODES:
        verify(sar, people, code)
    sar.refresh_from_db()
    assert sar.state == R.VERIFIED
    return sar


def to_approved(sar: SAR, people) -> SAR:
    to_verified(sar, people)
    return act(sar, people.planner, "approve")


def reads_english(*persons) -> None:
    """Mail goes out in each recipient's language: these people read English."""
    for person in persons:
        person.language = "en"
        person.save(update_fields=["language"])


def refused_message(action: str, state: str) -> str:
    label = SAR_WORKFLOW.action(action).label
    return f"“{label}” is not possible while the state is “{R(state).label}”."


# --- The table ------------------------------------------------------------------------------------


def test_every_sar_state_is_reachable_from_open():
    assert SAR_WORKFLOW.reachable_states(R.OPEN) == set(R.values)


@pytest.mark.parametrize("state", R.values)
def test_every_sar_state_has_an_action_out(state):
    # Even an approved report can be reopened by an administrator.
    assert [a.name for a in SAR_WORKFLOW.actions if state in a.sources]


@pytest.mark.parametrize("action", SAR_WORKFLOW.actions, ids=lambda a: a.name)
def test_every_sar_actions_permission_is_a_registered_rule(action):
    assert rules.perm_exists(action.permission)


def test_only_complete_verification_has_no_button():
    assert {a.name for a in SAR_WORKFLOW.actions} - SAR_BUTTON_ACTIONS == {"complete_verification"}


def test_the_happy_path_runs_from_open_to_approved():
    state = R.OPEN
    for name in ("submit", "complete_verification", "approve"):
        action = SAR_WORKFLOW.action(name)
        assert state in action.sources
        state = action.target
    assert state == R.APPROVED


def test_the_reports_service_never_assigns_a_state_itself():
    source = Path(settings.BASE_DIR, "agreements/services/reports.py").read_text()
    assert re.findall(r"\.state\s*=[^=]", source) == []
    # Reading templates by their own state is fine; writing a SAR's state is not.
    assert re.findall(r"\bstate=(?!TemplateState)", source) == []


def test_complete_verification_is_not_a_button_action(sar, people):
    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.owner, sar=sar, action="complete_verification")

    assert str(refused.value) == "Unknown action “complete_verification”."


# --- submit ---------------------------------------------------------------------------------------


def test_submit_moves_the_sar_to_submitted_and_records_who_and_when(sar, people):
    fill(sar, people.collector)
    revision_before = revision(sar)

    submitted = services.sar_act(actor=people.head, sar=sar, action="submit")

    stored = SAR.objects.get(pk=sar.pk)
    assert (stored.state, stored.submitted_by) == (R.SUBMITTED, people.head)
    assert stored.submitted_at is not None
    assert stored.inputs_revision == revision_before + 1
    assert submitted.inputs_revision == revision_before + 1
    history = list(
        sar.transitions.values_list("action", "from_state", "to_state", "actor", "comment")
    )
    assert history == [("submit", R.OPEN, R.SUBMITTED, people.head.pk, "")]


def test_submit_queues_a_recompute_and_mails_the_kpi_owners_their_kpis_after_the_commit(
    sar, people, recomputes, mailoutbox, django_capture_on_commit_callbacks
):
    fill(sar, people.collector)
    reads_english(people.owner, people.unit_owner)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sar_act(actor=people.head, sar=sar, action="submit")
    assert (recomputes, mailoutbox) == ([], [])
    for callback in callbacks:
        callback()

    assert recomputes == [sar.agreement_id]
    mails = {m.to[0]: m for m in mailoutbox}
    assert sorted(mails) == sorted([people.owner.email, people.unit_owner.email])
    assert mails[people.owner.email].subject == f"Submitted for verification: {sar}"
    assert "Your KPIs: 1.1, 1.2, 3.1, 4.1." in mails[people.owner.email].body
    assert "Your KPIs: 2.1." in mails[people.unit_owner.email].body


def test_submit_of_an_incomplete_report_names_the_missing_kpis(sar, people):
    fill(sar, people.collector, ["1.1", "2.1", "4.1"])

    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.head, sar=sar, action="submit")

    assert str(refused.value) == "Enter the results of KPI 1.2, 3.1 before submitting the report."
    assert (SAR.objects.get(pk=sar.pk).state, sar.transitions.count()) == (R.OPEN, 0)


def test_submit_of_a_result_that_does_not_score_names_the_kpi_and_the_engines_message(sar, people):
    fill(sar, people.collector, ["1.1", "1.2", "2.1", "3.1"])
    services.kpi_result_update(
        actor=people.collector, result=result(sar, "4.1"), value=None, steps_done=[True, True]
    )

    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.head, sar=sar, action="submit")

    assert str(refused.value) == (
        "KPI 4.1: Type the result: all 2 steps are done, so the outcome counts."
    )


def test_submit_of_an_outcome_without_its_number_is_refused(sar, people):
    fill(sar, people.collector, ["1.2", "2.1", "3.1", "4.1"])
    services.kpi_result_update(
        actor=people.collector, result=result(sar, "1.1"), value=None, steps_done=[]
    )

    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.head, sar=sar, action="submit")

    assert str(refused.value) == "KPI 1.1: type the result."


def test_submit_is_refused_to_a_data_collector(sar, people):
    fill(sar, people.collector)

    with pytest.raises(ActionForbidden) as refused:
        services.sar_act(actor=people.collector, sar=sar, action="submit")

    assert str(refused.value) == "You may not do “Submit the report” here."
    assert (SAR.objects.get(pk=sar.pk).state, sar.transitions.count()) == (R.OPEN, 0)


@pytest.mark.parametrize("state", [R.SUBMITTED, R.VERIFIED, R.APPROVED])
def test_submit_is_refused_from(sar, people, state):
    fill(sar, people.collector)
    set_sar_state(sar, state)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.sar_act(actor=people.head, sar=sar, action="submit")

    assert str(refused.value) == refused_message("submit", state)


def test_submit_is_allowed_on_the_deadline_day(agreement, sar, people):
    fill(sar, people.collector)
    set_deadlines(agreement, days_from_today=0)

    assert act(sar, people.head, "submit").state == R.SUBMITTED


def test_submit_after_the_deadline_is_refused_naming_the_deadline(agreement, sar, people):
    fill(sar, people.collector)
    set_deadlines(agreement, days_from_today=-1)
    deadline = timezone.localdate() - timedelta(days=1)

    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.head, sar=sar, action="submit")

    assert str(refused.value) == (
        f"The deadline for this report was {english_long(deadline)}, so it can no longer be "
        "submitted. An administrator can reopen the report."
    )
    assert (SAR.objects.get(pk=sar.pk).state, sar.transitions.count()) == (R.OPEN, 0)


def test_submit_after_the_deadline_succeeds_once_an_administrator_reopened(agreement, sar, people):
    fill(sar, people.collector)
    set_deadlines(agreement, days_from_today=-1)
    act(sar, people.admin, "reopen", comment="ระบบขัดข้องวันสุดท้าย")

    assert act(sar, people.head, "submit").state == R.SUBMITTED


def test_submit_is_refused_again_when_the_reopening_has_lapsed(agreement, sar, people):
    fill(sar, people.collector)
    set_deadlines(agreement, days_from_today=-5)
    SAR.objects.filter(pk=sar.pk).update(reopened_until=timezone.localdate() - timedelta(days=1))

    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.head, sar=sar, action="submit")

    assert refused.value.code == "deadline_passed"


def test_resubmitting_a_returned_sar_sends_the_returned_results_back_to_their_owners(sar, people):
    submit(sar, people)
    verify(sar, people, "2.1", "return", comment="ตรวจสอบเวลาอีกครั้ง")
    for code in ("1.1", "1.2", "3.1", "4.1"):
        verify(sar, people, code)
    services.kpi_result_update(
        actor=people.collector, result=result(sar, "2.1"), value=D("16"), steps_done=[]
    )

    act(sar, people.head, "submit")

    assert sar.state == R.SUBMITTED
    statuses = dict(sar.results.values_list("annex_kpi__code", "status"))
    assert statuses == {
        "1.1": ResultStatus.ACCEPTED,
        "1.2": ResultStatus.ACCEPTED,
        "2.1": ResultStatus.PENDING,
        "3.1": ResultStatus.ACCEPTED,
        "4.1": ResultStatus.ACCEPTED,
    }


def test_the_completed_verification_mails_the_planning_unit_to_approve(
    sar, people, cast, mailoutbox, django_capture_on_commit_callbacks
):
    submit(sar, people)
    for code in CODES[:-1]:
        verify(sar, people, code)
    reads_english(cast.planner, cast.colleague)

    with django_capture_on_commit_callbacks(execute=True):
        verify(sar, people, CODES[-1])

    assert sorted((m.to[0], m.subject) for m in mailoutbox) == sorted(
        (person.email, f"Verified, awaiting approval: {sar}")
        for person in (cast.planner, cast.colleague)
    )


# --- approve --------------------------------------------------------------------------------------


def test_approve_records_who_and_when_and_the_history_row(sar, people):
    to_verified(sar, people)
    revision_before = revision(sar)

    act(sar, people.planner, "approve", comment="อนุมัติผล")

    assert (sar.state, sar.approved_by) == (R.APPROVED, people.planner)
    assert sar.approved_at is not None
    assert sar.inputs_revision == revision_before + 1
    last = sar.transitions.order_by("-id").first()
    assert (last.action, last.from_state, last.to_state, last.actor, last.comment) == (
        "approve",
        R.VERIFIED,
        R.APPROVED,
        people.planner,
        "อนุมัติผล",
    )


def test_approve_queues_a_recompute_and_mails_the_unit_head_after_the_commit(
    sar, people, recomputes, mailoutbox, django_capture_on_commit_callbacks
):
    to_verified(sar, people)
    mailoutbox.clear()
    reads_english(people.head)

    with django_capture_on_commit_callbacks(execute=True):
        act(sar, people.planner, "approve")

    assert recomputes == [sar.agreement_id]
    assert [(m.to, m.subject) for m in mailoutbox] == [([people.head.email], f"Approved: {sar}")]


@pytest.mark.parametrize("state", [R.OPEN, R.SUBMITTED, R.RETURNED, R.APPROVED])
def test_approve_is_refused_from(sar, people, state):
    set_sar_state(sar, state)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.sar_act(actor=people.planner, sar=sar, action="approve")

    assert str(refused.value) == refused_message("approve", state)


def test_approve_is_refused_to_a_kpi_owner(sar, people):
    to_verified(sar, people)

    with pytest.raises(ActionForbidden):
        services.sar_act(actor=people.owner, sar=sar, action="approve")

    assert SAR.objects.get(pk=sar.pk).state == R.VERIFIED


def test_approve_is_refused_while_a_reported_result_is_unverified(sar, people):
    to_verified(sar, people)
    KPIResult.objects.filter(sar=sar, annex_kpi__code="3.1").update(status=ResultStatus.PENDING)

    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.planner, sar=sar, action="approve")

    assert str(refused.value) == (
        "KPI 3.1 has not been verified yet, so the report cannot be approved."
    )


# --- return_to_unit -------------------------------------------------------------------------------


def test_planning_returns_a_verified_sar_with_every_result_returned_with_its_comment(
    sar, people, recomputes, mailoutbox, django_capture_on_commit_callbacks
):
    to_verified(sar, people)
    mailoutbox.clear()
    reads_english(people.head)

    with django_capture_on_commit_callbacks(execute=True):
        act(sar, people.planner, "return_to_unit", comment=" แนบหลักฐานให้ครบทุกตัวชี้วัด ")

    assert sar.state == R.RETURNED
    assert set(sar.results.values_list("status", "verification_comment")) == {
        (ResultStatus.RETURNED, "แนบหลักฐานให้ครบทุกตัวชี้วัด")
    }
    last = sar.transitions.order_by("-id").first()
    assert (last.action, last.from_state, last.to_state, last.actor, last.comment) == (
        "return_to_unit",
        R.VERIFIED,
        R.RETURNED,
        people.planner,
        "แนบหลักฐานให้ครบทุกตัวชี้วัด",
    )
    latest_change = result(sar, "1.1").history.order_by("-history_id").first()
    assert (latest_change.status, latest_change.history_user) == (
        ResultStatus.RETURNED,
        people.planner,
    )
    assert recomputes == [sar.agreement_id]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([people.head.email], f"Returned for correction: {sar}")
    ]
    assert "แนบหลักฐานให้ครบทุกตัวชี้วัด" in mailoutbox[0].body


def test_returning_a_submitted_sar_returns_only_what_is_not_yet_verified(sar, people):
    submit(sar, people)
    verify(sar, people, "1.1")

    act(sar, people.planner, "return_to_unit", comment="ขาดหลักฐาน")

    statuses = dict(sar.results.values_list("annex_kpi__code", "status"))
    assert statuses == {
        "1.1": ResultStatus.ACCEPTED,
        "1.2": ResultStatus.RETURNED,
        "2.1": ResultStatus.RETURNED,
        "3.1": ResultStatus.RETURNED,
        "4.1": ResultStatus.RETURNED,
    }


def test_return_to_unit_needs_a_comment(sar, people):
    to_verified(sar, people)

    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.planner, sar=sar, action="return_to_unit", comment="  ")

    assert (str(refused.value), refused.value.field) == ("Please give a reason.", "comment")


@pytest.mark.parametrize("state", [R.OPEN, R.RETURNED, R.APPROVED])
def test_return_to_unit_is_refused_from(sar, people, state):
    set_sar_state(sar, state)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.sar_act(actor=people.planner, sar=sar, action="return_to_unit", comment="x")

    assert str(refused.value) == refused_message("return_to_unit", state)


def test_return_to_unit_is_refused_to_the_unit_head(sar, people):
    to_verified(sar, people)

    with pytest.raises(ActionForbidden):
        services.sar_act(actor=people.head, sar=sar, action="return_to_unit", comment="ขอแก้ไข")


# --- reopen ---------------------------------------------------------------------------------------


def test_reopen_without_a_date_opens_the_window_for_the_configured_days(
    agreement, sar, people, recomputes, mailoutbox, django_capture_on_commit_callbacks
):
    set_deadlines(agreement, days_from_today=-3)
    reads_english(people.head)

    with django_capture_on_commit_callbacks(execute=True):
        act(sar, people.admin, "reopen", comment="ระบบขัดข้อง")

    until = timezone.localdate() + timedelta(days=settings.SAR_REOPEN_DAYS)
    assert (sar.state, sar.reopened_until, sar.deadline, sar.window_open()) == (
        R.OPEN,
        until,
        until,
        True,
    )
    last = sar.transitions.order_by("-id").first()
    assert (last.action, last.from_state, last.to_state, last.actor, last.comment) == (
        "reopen",
        R.OPEN,
        R.OPEN,
        people.admin,
        "ระบบขัดข้อง",
    )
    assert recomputes == [sar.agreement_id]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([people.head.email], f"Reopened for entry: {sar}")
    ]
    assert english_long(until) in mailoutbox[0].body


def test_a_thai_reader_gets_the_reopening_in_thai_with_a_buddhist_era_date(
    agreement, sar, people, mailoutbox, django_capture_on_commit_callbacks
):
    set_deadlines(agreement, days_from_today=-3)
    until = timezone.localdate() + timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        act(sar, people.admin, "reopen", comment="ระบบขัดข้อง", reopened_until=until)

    assert people.head.language == "th"
    [mail] = mailoutbox
    assert "กรมอนามัย (อน.)" in mail.subject
    assert thai_long(until) in mail.body
    assert "ระบบขัดข้อง" in mail.body


def test_reopen_until_a_given_date(agreement, sar, people):
    set_deadlines(agreement, days_from_today=-3)
    until = timezone.localdate() + timedelta(days=2)

    act(sar, people.admin, "reopen", comment="ขยายเวลา", reopened_until=until)

    assert (sar.reopened_until, sar.deadline) == (until, until)


def test_reopen_until_today_is_allowed(agreement, sar, people):
    set_deadlines(agreement, days_from_today=-3)

    act(sar, people.admin, "reopen", comment="ขยายเวลา", reopened_until=timezone.localdate())

    assert sar.window_open() is True


def test_reopen_until_a_past_date_is_refused(agreement, sar, people):
    set_deadlines(agreement, days_from_today=-3)
    past = timezone.localdate() - timedelta(days=1)

    with pytest.raises(DomainError) as refused:
        services.sar_act(
            actor=people.admin, sar=sar, action="reopen", comment="ขยาย", reopened_until=past
        )

    assert (str(refused.value), refused.value.field) == (
        f"The report cannot be reopened until a date that has passed ({english_long(past)}).",
        "reopened_until",
    )
    assert (SAR.objects.get(pk=sar.pk).reopened_until, sar.transitions.count()) == (None, 0)


def test_reopen_needs_a_reason(sar, people):
    with pytest.raises(DomainError) as refused:
        services.sar_act(actor=people.admin, sar=sar, action="reopen")

    assert (str(refused.value), refused.value.field) == ("Please give a reason.", "comment")


@pytest.mark.parametrize("who", ["planner", "head", "outsider"])
def test_reopen_is_refused_to_anyone_but_an_administrator_of_the_organisation(sar, people, who):
    with pytest.raises(ActionForbidden):
        services.sar_act(actor=getattr(people, who), sar=sar, action="reopen", comment="ขยาย")

    assert sar.transitions.count() == 0


def test_reopening_an_approved_sar_runs_the_chain_again(sar, people):
    to_approved(sar, people)

    act(sar, people.admin, "reopen", comment="พบข้อมูลคลาดเคลื่อน")

    assert (sar.state, sar.approved_at, sar.approved_by) == (R.OPEN, None, None)
    assert set(sar.results.values_list("status", flat=True)) == {ResultStatus.PENDING}
    # The owners' earlier figures stay for reference until they verify again.
    assert result(sar, "1.1").verified_result == D("67")
    services.kpi_result_update(
        actor=people.collector, result=result(sar, "1.1"), value=D("69"), steps_done=[]
    )
    assert result(sar, "1.1").result == D("69")


def test_reopening_a_submitted_sar_keeps_the_verification_so_far(sar, people):
    submit(sar, people)
    verify(sar, people, "1.1")
    verify(sar, people, "2.1", "return", comment="ตรวจสอบ")

    act(sar, people.admin, "reopen", comment="ให้แก้ไขก่อนตรวจต่อ")

    statuses = dict(sar.results.values_list("annex_kpi__code", "status"))
    assert (statuses["1.1"], statuses["2.1"], statuses["3.1"]) == (
        ResultStatus.ACCEPTED,
        ResultStatus.RETURNED,
        ResultStatus.PENDING,
    )
    with pytest.raises(DomainError):
        services.kpi_result_update(
            actor=people.collector, result=result(sar, "1.1"), value=D("70"), steps_done=[]
        )
    services.kpi_result_update(
        actor=people.collector, result=result(sar, "2.1"), value=D("16"), steps_done=[]
    )
    assert result(sar, "2.1").result == D("16")


# --- The whole chain ------------------------------------------------------------------------------


def test_a_report_goes_from_entry_to_approval_through_each_person(
    sar, people, recomputes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fill(sar, people.collector)
        act(sar, people.head, "submit")
        for code in CODES:
            verify(sar, people, code)
        act(sar, people.planner, "approve")

    assert sar.state == R.APPROVED
    assert list(SARTransition.objects.filter(sar=sar).values_list("action", "actor__username")) == [
        ("submit", "doh_head"),
        ("complete_verification", "doh_owner"),
        ("approve", "doh_planner"),
    ]
    # Submit, five verifications and the approval each queued one recompute.
    assert recomputes == [sar.agreement_id] * 7
