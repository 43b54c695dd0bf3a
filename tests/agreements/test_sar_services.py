"""agreements.services.reports: opening SARs, entering results, verification and participation.

The button actions (submit, approve, reopen, return_to_unit) are in test_sar_workflow.py.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from agreements import services
from agreements.enums import Participation, ResultStatus, SARState, VersionKind
from agreements.models import SAR, AgreementKPI, KPIResult, SARTransition
from agreements.services._common import copy_version
from governance.buddhist_era import EN_MONTHS, TH_MONTHS
from governance.enums import Role
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed
from governance.models import User
from kpis.enums import CriteriaType
from kpis.models import KPI
from tests.agreements.conftest import latest, to_signed
from tests.agreements.sar_world import open_sars, set_deadlines, sign_directly
from tests.conftest import make_person
from tests.factories import AgreementKPIFactory, UserFactory

D = Decimal
CODES = ["1.1", "1.2", "2.1", "3.1", "4.1"]


@pytest.fixture(autouse=True)
def _english():
    # Messages become strings when raised: read them in English, whatever the catalogues hold.
    with override("en"):
        yield


# --- The SAR world --------------------------------------------------------------------------------


@dataclass
class People:
    collector: User  # data collector of the Department of Health
    head: User  # its unit head, who submits
    owner: User  # KPI owner of the department: owns every KPI but 2.1
    unit_owner: User  # KPI owner of the Planning Division, which owns KPI 2.1
    unit_collector: User  # data collector of the Planning Division
    planner: User
    admin: User
    outsider: User  # administrator of another ministry


@pytest.fixture
def people(tree, cast) -> People:
    return People(
        collector=make_person(tree.department, Role.DATA_COLLECTOR, username="doh_collector"),
        head=make_person(tree.department, Role.UNIT_HEAD, username="doh_head"),
        owner=make_person(tree.department, Role.KPI_OWNER, username="doh_owner"),
        unit_owner=make_person(tree.planning_unit, Role.KPI_OWNER, username="plan_owner"),
        unit_collector=make_person(
            tree.planning_unit, Role.DATA_COLLECTOR, username="plan_collector"
        ),
        planner=cast.planner,
        admin=cast.admin,
        outsider=cast.outsider,
    )


@pytest.fixture
def sars(agreement, framework, tree, people) -> dict[int, SAR]:
    # KPI 2.1 belongs to the Planning Division: its owner, not the department's, verifies it.
    KPI.objects.filter(framework=framework, code="2.1").update(owner=tree.planning_unit)
    return open_sars(agreement)


@pytest.fixture
def sar(sars) -> SAR:
    return sars[6]


@pytest.fixture
def recomputes(monkeypatch) -> list[int]:
    """The agreements whose recompute was queued (the real task is the scoring module's)."""
    calls: list[int] = []
    monkeypatch.setattr(
        "agreements.services.scoring.enqueue_recompute",
        lambda agreement_id: calls.append(agreement_id),
    )
    return calls


def result(sar: SAR, code: str) -> KPIResult:
    return KPIResult.objects.select_related("annex_kpi").get(sar=sar, annex_kpi__code=code)


# What the unit reports for each KPI: (value, steps done). 1.2 is milestones, 4.1 hybrid.
ENTRIES = {
    "1.1": (D("67"), []),
    "1.2": (None, [True, True, True, False, False]),
    "2.1": (D("18"), []),
    "3.1": (D("70"), []),
    "4.1": (D("85"), [True, True]),
}


def enter(sar: SAR, actor: User, code: str, value=None, steps=(), **narrative) -> KPIResult:
    return services.kpi_result_update(
        actor=actor, result=result(sar, code), value=value, steps_done=list(steps), **narrative
    )


def fill(sar: SAR, actor: User, codes=CODES) -> None:
    for code in codes:
        value, steps = ENTRIES[code]
        enter(sar, actor, code, value, steps)


def submit(sar: SAR, people: People) -> SAR:
    fill(sar, people.collector)
    return services.sar_act(actor=people.head, sar=sar, action="submit")


def owner_of(people: People, code: str) -> User:
    return people.unit_owner if code == "2.1" else people.owner


def verify(sar: SAR, people: People, code: str, decision: str = "accept", **kwargs) -> KPIResult:
    return services.kpi_result_verify(
        actor=owner_of(people, code), result=result(sar, code), decision=decision, **kwargs
    )


def revision(sar: SAR) -> int:
    return SAR.objects.values_list("inputs_revision", flat=True).get(pk=sar.pk)


def set_sar_state(sar: SAR, state: str) -> SAR:
    """Put a SAR in `state` directly (arranging a test, not a transition)."""
    SAR.objects.filter(pk=sar.pk).update(state=state)
    sar.refresh_from_db()
    return sar


def thai_long(day: date) -> str:
    return f"{day.day} {TH_MONTHS[day.month - 1]} {day.year + 543}"


def english_long(day: date) -> str:
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


# --- sars_open ------------------------------------------------------------------------------------


def test_sars_open_opens_one_open_sar_per_round_on_the_signed_version(agreement, sars):
    version = latest(agreement)
    assert sorted(sars) == [6, 9, 12]
    assert [
        (s.round.months, s.state, s.version_id) for s in agreement.sars.order_by("round__months")
    ] == [
        (6, SARState.OPEN, version.pk),
        (9, SARState.OPEN, version.pk),
        (12, SARState.OPEN, version.pk),
    ]


def test_sars_open_gives_each_sar_one_pending_reported_result_per_annex_kpi(sar):
    rows = sar.results.order_by("annex_kpi__code")
    assert [
        (r.annex_kpi.code, r.participation, r.status, r.result, r.steps_done) for r in rows
    ] == [(code, Participation.REPORTED, ResultStatus.PENDING, None, []) for code in CODES]
    assert {r.annex_kpi.version_id for r in rows} == {sar.version_id}


def test_sars_open_twice_keeps_the_same_sars_and_what_was_entered(agreement, sars, people):
    enter(sars[6], people.collector, "1.1", D("67"))
    before = sorted(KPIResult.objects.filter(sar__agreement=agreement).values_list("pk", flat=True))

    again = services.sars_open(agreement=agreement)

    assert [s.pk for s in again] == [sars[6].pk, sars[9].pk, sars[12].pk]
    assert SAR.objects.filter(agreement=agreement).count() == 3
    after = sorted(KPIResult.objects.filter(sar__agreement=agreement).values_list("pk", flat=True))
    assert after == before
    assert result(sars[6], "1.1").result == D("67")


def test_sars_open_adds_no_result_for_a_composite_parent(agreement, tree, people):
    version = latest(agreement)
    AgreementKPIFactory(version=version, code="5", criteria_type=CriteriaType.COMPOSITE, weight=0)
    AgreementKPIFactory(version=version, code="5.1", composite_code="5", weight=5)

    sars = open_sars(agreement)

    codes = sorted(sars[6].results.values_list("annex_kpi__code", flat=True))
    assert codes == [*CODES, "5.1"]


def test_sars_open_refuses_an_agreement_without_a_signed_version(agreement):
    with pytest.raises(DomainError) as refused:
        services.sars_open(agreement=agreement)

    assert str(refused.value) == "The agreement has no signed version to report on yet."
    assert SAR.objects.count() == 0


def test_signing_opens_the_three_sars_on_the_signed_version(agreement, cast):
    to_signed(agreement, cast)

    version = latest(agreement)
    sars = list(agreement.sars.order_by("round__months"))
    assert [(s.round.months, s.state, s.version_id) for s in sars] == [
        (6, SARState.OPEN, version.pk),
        (9, SARState.OPEN, version.pk),
        (12, SARState.OPEN, version.pk),
    ]
    assert [s.results.count() for s in sars] == [5, 5, 5]


def test_sars_open_after_an_amendment_moves_only_unsubmitted_sars_keeping_entries_by_code(
    agreement, sars, people, cast
):
    submit(sars[6], people)
    enter(sars[9], people.collector, "1.1", D("61"), narrative_results="ครึ่งปีหลัง")
    old = latest(agreement)
    amended = copy_version(source=old, kind=VersionKind.AMENDMENT, actor=cast.planner)
    amended.kpis.filter(code="3.1").update(code="3.2")
    sign_directly(agreement)
    revision_before = revision(sars[9])

    services.sars_open(agreement=agreement)

    sars[6].refresh_from_db()
    sars[9].refresh_from_db()
    assert (sars[6].version_id, sars[9].version_id) == (old.pk, amended.pk)
    assert sorted(sars[9].results.values_list("annex_kpi__code", flat=True)) == [
        "1.1",
        "1.2",
        "2.1",
        "3.2",
        "4.1",
    ]
    moved = result(sars[9], "1.1")
    assert (moved.annex_kpi.version_id, moved.result, moved.narrative_results) == (
        amended.pk,
        D("61"),
        "ครึ่งปีหลัง",
    )
    assert revision(sars[9]) == revision_before + 1
    assert sorted(sars[6].results.values_list("annex_kpi__code", flat=True)) == CODES


# --- kpi_result_update ----------------------------------------------------------------------------


def test_kpi_result_update_stores_the_entry_and_bumps_the_inputs_revision(sar, people):
    entered = enter(
        sar,
        people.collector,
        "1.1",
        D("67.25"),
        narrative_results="  เด็กมีพัฒนาการสมวัยร้อยละ 67.25 ",
        narrative_factors="อสม. ช่วยติดตาม",
        narrative_obstacles="ข้อมูลล่าช้า",
        narrative_suggestions="ใช้ระบบออนไลน์",
    )

    stored = KPIResult.objects.get(pk=entered.pk)
    assert (stored.result, stored.steps_done, stored.entered_by) == (
        D("67.25"),
        [],
        people.collector,
    )
    assert stored.entered_at is not None
    assert (
        stored.narrative_results,
        stored.narrative_factors,
        stored.narrative_obstacles,
        stored.narrative_suggestions,
    ) == ("เด็กมีพัฒนาการสมวัยร้อยละ 67.25", "อสม. ช่วยติดตาม", "ข้อมูลล่าช้า", "ใช้ระบบออนไลน์")
    assert stored.status == ResultStatus.PENDING
    assert revision(sar) == 1
    assert stored.history.count() == 2  # created by sars_open, changed by the entry


def test_kpi_result_update_of_the_narrative_alone_leaves_the_inputs_revision(sar, people):
    enter(sar, people.collector, "1.1", D("67"))
    enter(sar, people.collector, "1.1", D("67"), narrative_results="แก้ถ้อยคำ")

    assert revision(sar) == 1
    assert result(sar, "1.1").narrative_results == "แก้ถ้อยคำ"


def test_kpi_result_update_keeps_only_the_inputs_the_criteria_use(sar, people):
    enter(sar, people.collector, "1.1", D("67"), [True, True])
    enter(sar, people.collector, "1.2", D("3"), [True, True])
    enter(sar, people.collector, "4.1", D("85"), [True, True, True, True])

    assert [(result(sar, c).result, result(sar, c).steps_done) for c in ("1.1", "1.2", "4.1")] == [
        (D("67"), []),
        (None, [True, True, False, False, False]),
        (D("85"), [True, True]),
    ]


def test_kpi_result_update_keeps_a_partial_entry(sar, people):
    enter(sar, people.collector, "4.1", None, [True])

    assert (result(sar, "4.1").result, result(sar, "4.1").steps_done) == (None, [True, False])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (D("NaN"), "Type the result as a number."),
        ("sixty", "Type the result as a number."),
        (D("67.12345"), "Give the result with at most 4 decimal places."),
        (D("1e15"), "The result is too large."),
    ],
)
def test_kpi_result_update_refuses_a_value_the_column_cannot_hold(sar, people, value, message):
    with pytest.raises(DomainError) as refused:
        enter(sar, people.collector, "1.1", value)

    assert (str(refused.value), refused.value.field) == (message, "value")
    assert result(sar, "1.1").entered_at is None


def test_kpi_result_update_refuses_a_step_that_is_not_ticked_or_not(sar, people):
    with pytest.raises(DomainError) as refused:
        enter(sar, people.collector, "1.2", None, [True, "yes"])

    assert (str(refused.value), refused.value.field) == (
        "Step 2 must be ticked or not.",
        "steps_done",
    )


def test_kpi_result_update_is_refused_to_someone_who_does_not_collect_data(sar, people):
    with pytest.raises(ActionForbidden) as refused:
        enter(sar, people.owner, "1.1", D("67"))

    assert str(refused.value) == "You do not have permission to do this."
    assert revision(sar) == 0


def test_a_collector_of_the_kpis_owner_unit_enters_that_kpi_only(sar, people):
    enter(sar, people.unit_collector, "2.1", D("18"))

    with pytest.raises(ActionForbidden):
        enter(sar, people.unit_collector, "1.1", D("67"))
    assert (result(sar, "2.1").result, result(sar, "1.1").result) == (D("18"), None)


def test_kpi_result_update_is_refused_for_a_kpi_not_reported_in_the_round(sar, people):
    services.kpi_participation_set(
        actor=people.planner,
        result=result(sar, "3.1"),
        participation=Participation.NOT_STARTED,
        note="เริ่มรอบ 9 เดือน",
    )

    with pytest.raises(DomainError) as refused:
        enter(sar, people.collector, "3.1", D("70"))

    assert str(refused.value) == "KPI 3.1 is not reported in this round."


def test_a_submitted_sar_is_locked_for_its_collectors_and_its_head(sar, people):
    submit(sar, people)

    for person in (people.collector, people.head):
        with pytest.raises(DomainError) as refused:
            enter(sar, person, "1.1", D("70"))
        assert str(refused.value) == (
            "This report has been submitted and is locked while it is verified; it can be "
            "changed again if it is returned or reopened."
        )
    assert result(sar, "1.1").result == D("67")


@pytest.mark.parametrize(
    ("state", "label"), [(SARState.VERIFIED, "Verified"), (SARState.APPROVED, "Approved")]
)
def test_kpi_result_update_is_refused_once_the_sar_is_verified(sar, people, state, label):
    set_sar_state(sar, state)

    with pytest.raises(TransitionNotAllowed) as refused:
        enter(sar, people.collector, "1.1", D("70"))

    assert str(refused.value) == f"Results cannot be changed while the report is “{label}”."


def test_kpi_result_update_is_allowed_on_the_deadline_day(agreement, sar, people):
    set_deadlines(agreement, days_from_today=0)

    enter(sar, people.collector, "1.1", D("67"))

    assert result(sar, "1.1").result == D("67")


def test_kpi_result_update_after_the_deadline_is_refused_naming_the_date(agreement, sar, people):
    set_deadlines(agreement, days_from_today=-1)
    deadline = timezone.localdate() - timedelta(days=1)

    with pytest.raises(DomainError) as refused:
        enter(sar, people.collector, "1.1", D("67"))

    assert str(refused.value) == (
        f"The deadline for this report was {english_long(deadline)}, so results can no longer "
        "be entered. An administrator can reopen the report."
    )
    assert refused.value.code == "deadline_passed"


def test_the_deadline_in_a_thai_message_is_in_the_buddhist_era(agreement, sar, people):
    set_deadlines(agreement, days_from_today=-1)
    deadline = timezone.localdate() - timedelta(days=1)

    with override("th"), pytest.raises(DomainError) as refused:
        enter(sar, people.collector, "1.1", D("67"))

    assert thai_long(deadline) in str(refused.value)
    assert str(deadline.year + 543) in str(refused.value)


def test_kpi_result_update_after_an_administrators_reopening_is_allowed(agreement, sar, people):
    set_deadlines(agreement, days_from_today=-1)
    services.sar_act(actor=people.admin, sar=sar, action="reopen", comment="ระบบขัดข้อง")

    enter(sar, people.collector, "1.1", D("67"))

    assert result(sar, "1.1").result == D("67")


def test_in_a_returned_sar_only_the_returned_results_can_be_corrected(sar, people):
    submit(sar, people)
    for code in CODES:
        if code != "2.1":
            verify(sar, people, code)
    verify(sar, people, "2.1", "return", comment="ตรวจสอบเวลาให้บริการอีกครั้ง")

    corrected = enter(sar, people.collector, "2.1", D("16"))

    assert (corrected.result, corrected.status) == (D("16"), ResultStatus.RETURNED)
    with pytest.raises(DomainError) as refused:
        enter(sar, people.collector, "1.1", D("70"))
    assert str(refused.value) == (
        "The result of KPI 1.1 has been verified by its owner and cannot be changed."
    )


# --- kpi_result_verify ----------------------------------------------------------------------------


def test_accept_copies_the_entered_result_into_the_verified_one(sar, people):
    submit(sar, people)
    revision_before = revision(sar)

    accepted = verify(sar, people, "4.1", comment="ถูกต้อง")

    stored = KPIResult.objects.get(pk=accepted.pk)
    assert (stored.status, stored.verified_result, stored.verified_steps) == (
        ResultStatus.ACCEPTED,
        D("85"),
        [True, True],
    )
    assert (stored.result, stored.steps_done) == (D("85"), [True, True])
    assert (stored.verification_comment, stored.verified_by) == ("ถูกต้อง", people.owner)
    assert stored.verified_at is not None
    assert revision(sar) == revision_before + 1


def test_adjust_keeps_the_submitted_result_beside_the_owners_with_the_justification(sar, people):
    submit(sar, people)

    adjusted = verify(
        sar, people, "1.1", "adjust", value=D("63.3"), comment="ข้อมูลจากระบบ HDC ต่ำกว่า"
    )

    stored = KPIResult.objects.get(pk=adjusted.pk)
    assert (stored.status, stored.result, stored.verified_result, stored.verified_steps) == (
        ResultStatus.ADJUSTED,
        D("67"),
        D("63.3"),
        [],
    )
    assert stored.verification_comment == "ข้อมูลจากระบบ HDC ต่ำกว่า"


def test_adjust_without_a_justification_is_refused(sar, people):
    submit(sar, people)

    with pytest.raises(DomainError) as refused:
        verify(sar, people, "1.1", "adjust", value=D("63.3"), comment="  ")

    assert (str(refused.value), refused.value.field) == ("Justify the adjustment.", "comment")
    assert result(sar, "1.1").status == ResultStatus.PENDING


def test_adjust_of_steps_needs_the_steps(sar, people):
    submit(sar, people)

    with pytest.raises(DomainError) as refused:
        verify(sar, people, "1.2", "adjust", comment="ขั้นที่ 3 ยังไม่เสร็จ")

    assert (str(refused.value), refused.value.field) == (
        "Tick the steps that are done.",
        "steps_done",
    )


def test_adjust_to_a_result_that_does_not_score_names_the_kpi_and_the_problem(sar, people):
    submit(sar, people)

    with pytest.raises(DomainError) as refused:
        verify(sar, people, "4.1", "adjust", steps_done=[True, True], comment="แก้ไข")

    assert str(refused.value) == (
        "KPI 4.1: Type the result: all 2 steps are done, so the outcome counts."
    )


def test_return_needs_a_comment(sar, people):
    submit(sar, people)

    with pytest.raises(DomainError) as refused:
        verify(sar, people, "1.1", "return")

    assert (str(refused.value), refused.value.field) == ("Say what must be corrected.", "comment")


def test_an_unknown_decision_is_refused(sar, people):
    submit(sar, people)

    with pytest.raises(DomainError) as refused:
        verify(sar, people, "1.1", "approve")

    assert (str(refused.value), refused.value.field) == ("Choose a decision.", "decision")


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (SARState.OPEN, "Open for entry"),
        (SARState.RETURNED, "Returned for correction"),
        (SARState.VERIFIED, "Verified"),
        (SARState.APPROVED, "Approved"),
    ],
)
def test_verification_outside_a_submitted_sar_is_refused(sar, people, state, label):
    fill(sar, people.collector)
    set_sar_state(sar, state)

    with pytest.raises(TransitionNotAllowed) as refused:
        verify(sar, people, "1.1")

    assert str(refused.value) == (
        f"Results are verified while the report is submitted; it is “{label}”."
    )
    assert result(sar, "1.1").status == ResultStatus.PENDING


def test_only_the_owner_of_that_kpi_verifies_its_result(sar, people):
    submit(sar, people)

    with pytest.raises(ActionForbidden):
        services.kpi_result_verify(actor=people.owner, result=result(sar, "2.1"), decision="accept")
    with pytest.raises(ActionForbidden):
        services.kpi_result_verify(
            actor=people.unit_owner, result=result(sar, "1.1"), decision="accept"
        )
    with pytest.raises(ActionForbidden):
        services.kpi_result_verify(actor=people.head, result=result(sar, "1.1"), decision="accept")

    assert set(sar.results.values_list("status", flat=True)) == {ResultStatus.PENDING}


def test_a_decision_can_change_while_other_results_wait(sar, people):
    submit(sar, people)
    verify(sar, people, "1.1", "return", comment="ขอหลักฐานเพิ่ม")

    changed = verify(sar, people, "1.1")

    assert (changed.status, changed.verification_comment) == (ResultStatus.ACCEPTED, "")
    sar.refresh_from_db()
    assert sar.state == SARState.SUBMITTED


def test_the_last_acceptance_completes_the_verification(
    sar, people, recomputes, django_capture_on_commit_callbacks
):
    submit(sar, people)
    for code in CODES[:-1]:
        verify(sar, people, code)

    with django_capture_on_commit_callbacks(execute=True):
        verify(sar, people, "4.1", "adjust", value=D("88"), steps_done=[True, True], comment="ปรับ")

    sar.refresh_from_db()
    assert sar.state == SARState.VERIFIED
    last = sar.transitions.order_by("-id").first()
    assert (last.action, last.from_state, last.to_state, last.actor, last.comment) == (
        "complete_verification",
        SARState.SUBMITTED,
        SARState.VERIFIED,
        people.owner,
        "",
    )
    assert recomputes == [sar.agreement_id]


def test_a_returned_result_sends_the_sar_back_once_all_are_decided_naming_the_kpis(
    sar, people, mailoutbox, django_capture_on_commit_callbacks
):
    submit(sar, people)
    verify(sar, people, "1.1", "return", comment="ขอหลักฐานเพิ่ม")
    verify(sar, people, "2.1", "return", comment="ตรวจสอบเวลาอีกครั้ง")
    for code in ("1.2", "3.1"):
        verify(sar, people, code)

    with django_capture_on_commit_callbacks(execute=True):
        verify(sar, people, "4.1")

    sar.refresh_from_db()
    assert sar.state == SARState.RETURNED
    last = sar.transitions.order_by("-id").first()
    assert (last.action, last.from_state, last.to_state, last.actor, last.comment) == (
        "return_to_unit",
        SARState.SUBMITTED,
        SARState.RETURNED,
        people.owner,
        "The KPI owners returned the results of KPI 1.1, 2.1.",
    )
    statuses = dict(sar.results.values_list("annex_kpi__code", "status"))
    assert statuses == {
        "1.1": ResultStatus.RETURNED,
        "1.2": ResultStatus.ACCEPTED,
        "2.1": ResultStatus.RETURNED,
        "3.1": ResultStatus.ACCEPTED,
        "4.1": ResultStatus.ACCEPTED,
    }
    assert [m.to for m in mailoutbox] == [[people.head.email]]
    assert "The KPI owners returned the results of KPI 1.1, 2.1." in mailoutbox[0].body


def test_each_verification_queues_a_recompute_after_the_commit(
    sar, people, recomputes, django_capture_on_commit_callbacks
):
    submit(sar, people)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        verify(sar, people, "1.1")

    assert recomputes == []
    for callback in callbacks:
        callback()
    assert recomputes == [sar.agreement_id]


# --- kpi_participation_set ------------------------------------------------------------------------


def test_participation_not_started_is_recorded_with_its_note_and_queues_a_recompute(
    sar, people, recomputes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.kpi_participation_set(
            actor=people.planner,
            result=result(sar, "3.1"),
            participation=Participation.NOT_STARTED,
            note=" เริ่มดำเนินการรอบ 9 เดือน ",
        )

    stored = KPIResult.objects.get(pk=changed.pk)
    assert (stored.participation, stored.participation_note) == (
        Participation.NOT_STARTED,
        "เริ่มดำเนินการรอบ 9 เดือน",
    )
    assert revision(sar) == 1
    assert recomputes == [sar.agreement_id]


def test_participation_back_to_reported_is_recorded(sar, people):
    row = result(sar, "3.1")
    services.kpi_participation_set(
        actor=people.planner, result=row, participation=Participation.CANCELLED, note="ยกเลิก"
    )

    services.kpi_participation_set(
        actor=people.planner, result=row, participation=Participation.REPORTED
    )

    assert result(sar, "3.1").participation == Participation.REPORTED
    assert revision(sar) == 2


@pytest.mark.parametrize("participation", [Participation.NOT_STARTED, Participation.CANCELLED])
def test_participation_other_than_reported_needs_a_note(sar, people, participation):
    with pytest.raises(DomainError) as refused:
        services.kpi_participation_set(
            actor=people.planner, result=result(sar, "3.1"), participation=participation
        )

    assert (str(refused.value), refused.value.field) == (
        "Say why the KPI is not reported in this round.",
        "note",
    )


def test_participation_is_refused_when_no_kpi_would_be_left_to_report(sar, people):
    for code in CODES[:-1]:
        services.kpi_participation_set(
            actor=people.planner,
            result=result(sar, code),
            participation=Participation.CANCELLED,
            note="ยกเลิก",
        )

    with pytest.raises(DomainError) as refused:
        services.kpi_participation_set(
            actor=people.planner,
            result=result(sar, "4.1"),
            participation=Participation.CANCELLED,
            note="ยกเลิก",
        )

    assert str(refused.value) == "At least one KPI must be reported in this round."
    assert result(sar, "4.1").participation == Participation.REPORTED


def test_participation_is_refused_to_the_unit(sar, people):
    with pytest.raises(ActionForbidden):
        services.kpi_participation_set(
            actor=people.head,
            result=result(sar, "3.1"),
            participation=Participation.CANCELLED,
            note="ยกเลิก",
        )


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            SARState.APPROVED,
            "The report is approved; reopen it before changing which KPIs are reported.",
        ),
        (
            SARState.SUBMITTED,
            "The KPI owners are verifying this report; return it to the unit before changing "
            "which KPIs are reported.",
        ),
    ],
)
def test_participation_is_refused_on_an_approved_or_submitted_sar(sar, people, state, message):
    set_sar_state(sar, state)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.kpi_participation_set(
            actor=people.planner,
            result=result(sar, "3.1"),
            participation=Participation.CANCELLED,
            note="ยกเลิก",
        )

    assert str(refused.value) == message


def test_a_verified_sar_may_drop_a_kpi_but_not_gain_an_unverified_one(sar, people):
    row = result(sar, "3.1")
    services.kpi_participation_set(
        actor=people.planner, result=row, participation=Participation.CANCELLED, note="ยกเลิก"
    )
    set_sar_state(sar, SARState.VERIFIED)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.kpi_participation_set(
            actor=people.planner, result=row, participation=Participation.REPORTED
        )
    services.kpi_participation_set(
        actor=people.planner,
        result=result(sar, "2.1"),
        participation=Participation.CANCELLED,
        note="ยกเลิก",
    )

    assert str(refused.value) == (
        "The report is verified; return it to the unit so the result of KPI 3.1 can be entered "
        "and verified."
    )
    assert result(sar, "2.1").participation == Participation.CANCELLED


def test_a_kpi_not_reported_needs_no_result_to_submit(sar, people):
    services.kpi_participation_set(
        actor=people.planner,
        result=result(sar, "3.1"),
        participation=Participation.NOT_STARTED,
        note="เริ่มรอบ 9 เดือน",
    )
    fill(sar, people.collector, [c for c in CODES if c != "3.1"])

    submitted = services.sar_act(actor=people.head, sar=sar, action="submit")

    assert submitted.state == SARState.SUBMITTED


def test_no_history_row_is_written_for_a_refused_verification(sar, people):
    submit(sar, people)
    before = SARTransition.objects.count()

    with pytest.raises(ActionForbidden):
        services.kpi_result_verify(
            actor=UserFactory(), result=result(sar, "1.1"), decision="accept"
        )

    assert SARTransition.objects.count() == before


def test_annex_rows_of_results_belong_to_the_sars_version(sar):
    assert not AgreementKPI.objects.filter(results__sar=sar).exclude(version=sar.version).exists()
