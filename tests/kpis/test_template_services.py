"""KPI template revisions: saving drafts, the review workflow and new revisions (kpis.services)."""

from decimal import Decimal

import pytest
from django.utils.translation import override

from governance.enums import Role
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed
from kpis import services
from kpis.enums import TEMPLATE_FINAL_STATES, CriteriaType, FloorRule, TemplateState
from kpis.models import KPITemplate, TemplateTransition
from kpis.services import TEMPLATE_FIELDS
from kpis.workflows import TEMPLATE_WORKFLOW
from tests.conftest import make_person
from tests.factories import FiscalYearFactory, FrameworkFactory, KPIFactory, KPITemplateFactory

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    # Error messages become strings when raised: assert them in English, whatever catalogues exist.
    with override("en"):
        yield


@pytest.fixture
def framework(tree):
    return FrameworkFactory(fiscal_year=FiscalYearFactory(year=2552), organisation=tree.department)


@pytest.fixture
def kpi(tree, framework):
    return KPIFactory(framework=framework, owner=tree.planning_unit, code="1.1.3")


@pytest.fixture
def draft(kpi):
    """The KPI's empty first revision, as kpi_create leaves it."""
    return kpi.templates.get()


@pytest.fixture
def complete(tree, framework):
    """A draft revision with complete outcome criteria 55/60/65/70/75."""
    kpi = KPIFactory(framework=framework, owner=tree.planning_unit, code="1.1.5", template=False)
    return KPITemplateFactory(kpi=kpi)


@pytest.fixture
def kpi_owner(tree):
    return make_person(tree.planning_unit, Role.KPI_OWNER, username="owner")


def put_in_state(template: KPITemplate, state: str) -> KPITemplate:
    # Test set-up only: the application changes states through the workflow alone.
    KPITemplate.objects.filter(pk=template.pk).update(state=state)
    template.refresh_from_db()
    return template


def thresholds(template: KPITemplate) -> tuple:
    template.refresh_from_db()
    return template.thresholds


# --- The workflow table ----------------------------------------------------------------------------


def test_every_template_state_is_reachable_from_draft():
    assert TEMPLATE_WORKFLOW.reachable_states(TemplateState.DRAFT) == set(TemplateState.values)


@pytest.mark.parametrize("state", sorted(set(TemplateState.values) - TEMPLATE_FINAL_STATES))
def test_every_open_template_state_has_an_action_out(state):
    assert [action.name for action in TEMPLATE_WORKFLOW.actions if state in action.sources]


def test_no_action_leaves_the_final_state():
    assert [a.name for a in TEMPLATE_WORKFLOW.actions if a.sources & TEMPLATE_FINAL_STATES] == []


# --- template_save -----------------------------------------------------------------------------------


def test_a_draft_saves_with_incomplete_thresholds(draft, kpi_owner):
    saved = services.template_save(
        actor=kpi_owner,
        template=draft,
        definition="ร้อยละของผู้ป่วย",
        threshold_1=D("55"),
        threshold_3=D("65"),
    )

    assert saved.definition == "ร้อยละของผู้ป่วย"
    assert thresholds(draft) == (D("55"), None, D("65"), None, None)


def test_a_draft_refuses_thresholds_out_of_order_naming_both_levels(draft, kpi_owner):
    with pytest.raises(DomainError) as caught:
        services.template_save(
            actor=kpi_owner,
            template=draft,
            **{
                f"threshold_{n}": D(v)
                for n, v in enumerate(("40", "50", "60", "60", "70"), start=1)
            },
        )

    assert caught.value.field == "threshold_4"
    assert caught.value.message == (
        "Thresholds must rise strictly when higher is better: level 3 (60) and level 4 (60)."
    )
    assert thresholds(draft) == (None,) * 5


def test_a_draft_refuses_filled_thresholds_out_of_order_even_with_gaps(draft, kpi_owner):
    with pytest.raises(DomainError) as caught:
        services.template_save(
            actor=kpi_owner, template=draft, threshold_2=D("50"), threshold_4=D("45")
        )

    assert caught.value.field == "threshold_4"
    assert "level 2 (50) and level 4 (45)" in caught.value.message


def test_lower_is_better_thresholds_must_fall(draft, kpi_owner):
    with pytest.raises(DomainError) as caught:
        services.template_save(
            actor=kpi_owner,
            template=draft,
            higher_is_better=False,
            **{
                f"threshold_{n}": D(v)
                for n, v in enumerate(("55", "60", "65", "70", "75"), start=1)
            },
        )

    assert caught.value.field == "threshold_2"
    assert caught.value.message.startswith("Thresholds must fall strictly when lower is better")


def test_target_and_step_expand_around_level_3_by_default(draft, kpi_owner):
    services.template_save(actor=kpi_owner, template=draft, target=D("65"), target_step=D("5"))

    assert thresholds(draft) == (D("55"), D("60"), D("65"), D("70"), D("75"))


def test_target_and_step_expand_around_the_frameworks_target_level(draft, kpi_owner, framework):
    framework.target_level = 4
    framework.save()

    services.template_save(actor=kpi_owner, template=draft, target=D("6"), target_step=D("1"))

    assert thresholds(draft) == (D("3"), D("4"), D("5"), D("6"), D("7"))


def test_target_and_step_expand_downwards_when_lower_is_better(draft, kpi_owner):
    services.template_save(
        actor=kpi_owner, template=draft, higher_is_better=False, target=D("65"), target_step=D("5")
    )

    assert thresholds(draft) == (D("75"), D("70"), D("65"), D("60"), D("55"))


def test_typed_thresholds_win_over_the_shorthand(draft, kpi_owner):
    services.template_save(
        actor=kpi_owner, template=draft, target=D("65"), target_step=D("5"), threshold_1=D("50")
    )

    assert thresholds(draft) == (D("50"), None, None, None, None)


def test_a_step_that_is_not_positive_is_refused_at_the_step_field(draft, kpi_owner):
    with pytest.raises(DomainError) as caught:
        services.template_save(actor=kpi_owner, template=draft, target=D("65"), target_step=D("0"))

    assert caught.value.field == "target_step"
    assert caught.value.message == "The step between levels must be positive (it is 0)."


def test_hybrid_criteria_need_one_to_four_steps(draft, kpi_owner):
    with pytest.raises(DomainError) as caught:
        services.template_save(
            actor=kpi_owner, template=draft, criteria_type=CriteriaType.HYBRID, step_count=0
        )

    assert caught.value.field == "step_count"


@pytest.mark.parametrize("state", [TemplateState.SUBMITTED, TemplateState.APPROVED])
def test_a_submitted_or_approved_revision_is_locked(complete, kpi_owner, state):
    put_in_state(complete, state)

    with pytest.raises(DomainError) as caught:
        services.template_save(actor=kpi_owner, template=complete, definition="changed")

    assert "locked" in caught.value.message
    complete.refresh_from_db()
    assert complete.definition != "changed"


def test_a_returned_revision_can_be_changed(complete, kpi_owner):
    put_in_state(complete, TemplateState.RETURNED)

    services.template_save(actor=kpi_owner, template=complete, definition="แก้ไขตามข้อเสนอแนะ")

    complete.refresh_from_db()
    assert complete.definition == "แก้ไขตามข้อเสนอแนะ"


def test_a_unit_head_cannot_save_a_template(draft, unit_head):
    with pytest.raises(ActionForbidden):
        services.template_save(actor=unit_head, template=draft, definition="x")


def test_template_save_refuses_unknown_fields(draft, kpi_owner):
    with pytest.raises(TypeError):
        services.template_save(actor=kpi_owner, template=draft, state=TemplateState.APPROVED)


# --- template_act: submit ------------------------------------------------------------------------------


def test_the_owner_submits_complete_outcome_criteria(complete, kpi_owner):
    submitted = services.template_act(actor=kpi_owner, template=complete, action="submit")

    assert submitted.state == TemplateState.SUBMITTED
    complete.refresh_from_db()
    assert complete.state == TemplateState.SUBMITTED


def test_submit_refuses_outcome_criteria_with_missing_thresholds(draft, kpi_owner):
    services.template_save(
        actor=kpi_owner, template=draft, threshold_1=D("55"), threshold_2=D("60")
    )

    with pytest.raises(DomainError) as caught:
        services.template_act(actor=kpi_owner, template=draft, action="submit")

    assert caught.value.message == "Levels 1-5 need 5 thresholds; 2 are filled in."
    draft.refresh_from_db()
    assert draft.state == TemplateState.DRAFT
    assert not TemplateTransition.objects.exists()


def test_submit_refuses_milestones_with_a_step_not_described(draft, kpi_owner):
    steps = {f"step_{n}": f"ขั้นตอนที่ {n}" for n in (1, 2, 4, 5)}
    services.template_save(
        actor=kpi_owner, template=draft, criteria_type=CriteriaType.MILESTONE, **steps
    )

    with pytest.raises(DomainError) as caught:
        services.template_act(actor=kpi_owner, template=draft, action="submit")

    assert caught.value.field == "step_3"
    assert caught.value.message == "Describe the step of level 3."


def test_submit_accepts_five_described_milestones(draft, kpi_owner):
    steps = {f"step_{n}": f"ขั้นตอนที่ {n}" for n in range(1, 6)}
    services.template_save(
        actor=kpi_owner, template=draft, criteria_type=CriteriaType.MILESTONE, **steps
    )

    assert (
        services.template_act(actor=kpi_owner, template=draft, action="submit").state
        == TemplateState.SUBMITTED
    )


def test_submit_refuses_hybrid_criteria_without_their_outcome_thresholds(draft, kpi_owner):
    services.template_save(
        actor=kpi_owner,
        template=draft,
        criteria_type=CriteriaType.HYBRID,
        step_count=2,
        step_1="จัดตั้งคณะทำงาน",
        step_2="จัดทำแผน",
        threshold_3=D("60"),
        threshold_4=D("70"),
    )

    with pytest.raises(DomainError) as caught:
        services.template_act(actor=kpi_owner, template=draft, action="submit")

    assert caught.value.message == "Levels 3-5 need 3 thresholds; 2 are filled in."


def test_submit_refuses_hybrid_criteria_with_a_step_not_described(draft, kpi_owner):
    services.template_save(
        actor=kpi_owner,
        template=draft,
        criteria_type=CriteriaType.HYBRID,
        step_count=2,
        step_1="จัดตั้งคณะทำงาน",
        threshold_3=D("60"),
        threshold_4=D("70"),
        threshold_5=D("80"),
    )

    with pytest.raises(DomainError) as caught:
        services.template_act(actor=kpi_owner, template=draft, action="submit")

    assert caught.value.field == "step_2"


def test_submit_accepts_complete_hybrid_criteria(draft, kpi_owner):
    services.template_save(
        actor=kpi_owner,
        template=draft,
        criteria_type=CriteriaType.HYBRID,
        step_count=2,
        step_1="จัดตั้งคณะทำงาน",
        step_2="จัดทำแผน",
        threshold_3=D("60"),
        threshold_4=D("70"),
        threshold_5=D("80"),
    )

    assert (
        services.template_act(actor=kpi_owner, template=draft, action="submit").state
        == TemplateState.SUBMITTED
    )


def test_submit_refuses_a_composite_kpi_without_sub_kpis(draft, kpi_owner):
    services.template_save(actor=kpi_owner, template=draft, criteria_type=CriteriaType.COMPOSITE)

    with pytest.raises(DomainError) as caught:
        services.template_act(actor=kpi_owner, template=draft, action="submit")

    assert caught.value.field == "criteria_type"


def test_submit_accepts_a_composite_kpi_with_sub_kpis(draft, kpi, kpi_owner):
    KPIFactory(framework=kpi.framework, owner=kpi.owner, code="1.1.3.1", composite_parent=kpi)
    services.template_save(actor=kpi_owner, template=draft, criteria_type=CriteriaType.COMPOSITE)

    assert (
        services.template_act(actor=kpi_owner, template=draft, action="submit").state
        == TemplateState.SUBMITTED
    )


def test_a_unit_head_cannot_submit(complete, unit_head):
    with pytest.raises(ActionForbidden):
        services.template_act(actor=unit_head, template=complete, action="submit")

    complete.refresh_from_db()
    assert complete.state == TemplateState.DRAFT


def test_planning_staff_may_submit_for_the_owner(complete, planning_officer):
    assert services.template_act(
        actor=planning_officer, template=complete, action="submit"
    ).state == (TemplateState.SUBMITTED)


# --- template_act: review ------------------------------------------------------------------------------


def test_return_needs_a_comment(complete, planning_officer):
    put_in_state(complete, TemplateState.SUBMITTED)

    with pytest.raises(DomainError) as caught:
        services.template_act(
            actor=planning_officer, template=complete, action="return", comment="  "
        )

    assert caught.value.field == "comment"
    complete.refresh_from_db()
    assert complete.state == TemplateState.SUBMITTED


def test_planning_staff_return_with_comments(complete, planning_officer):
    put_in_state(complete, TemplateState.SUBMITTED)

    returned = services.template_act(
        actor=planning_officer, template=complete, action="return", comment="ปรับเกณฑ์ระดับ 5"
    )

    assert returned.state == TemplateState.RETURNED


def test_approve_locks_the_revision(complete, planning_officer, kpi_owner):
    put_in_state(complete, TemplateState.SUBMITTED)

    approved = services.template_act(actor=planning_officer, template=complete, action="approve")

    assert approved.state == TemplateState.APPROVED
    assert not kpi_owner.has_perm("kpis.change_template", approved)
    assert not planning_officer.has_perm("kpis.change_template", approved)
    with pytest.raises(DomainError):
        services.template_save(actor=planning_officer, template=approved, definition="changed")


def test_a_kpi_owner_cannot_approve(complete, kpi_owner):
    put_in_state(complete, TemplateState.SUBMITTED)

    with pytest.raises(ActionForbidden):
        services.template_act(actor=kpi_owner, template=complete, action="approve")

    complete.refresh_from_db()
    assert complete.state == TemplateState.SUBMITTED


def test_a_kpi_owner_cannot_return(complete, kpi_owner):
    put_in_state(complete, TemplateState.SUBMITTED)

    with pytest.raises(ActionForbidden):
        services.template_act(actor=kpi_owner, template=complete, action="return", comment="no")


def test_an_unknown_action_is_a_domain_error(complete, planning_officer):
    with pytest.raises(DomainError) as caught:
        services.template_act(actor=planning_officer, template=complete, action="publish")

    assert caught.value.message == "Unknown action “publish”."


FORBIDDEN_SOURCES = [
    (action.name, state)
    for action in TEMPLATE_WORKFLOW.actions
    for state in TemplateState.values
    if state not in action.sources
]


@pytest.mark.parametrize(("action", "state"), FORBIDDEN_SOURCES)
def test_each_action_is_refused_from_each_forbidden_state(
    complete, planning_officer, action, state
):
    put_in_state(complete, state)

    with pytest.raises(TransitionNotAllowed):
        services.template_act(
            actor=planning_officer, template=complete, action=action, comment="reason"
        )

    complete.refresh_from_db()
    assert complete.state == state
    assert not TemplateTransition.objects.exists()


def test_each_transition_writes_one_history_row(complete, kpi_owner, planning_officer):
    services.template_act(actor=kpi_owner, template=complete, action="submit")
    services.template_act(
        actor=planning_officer, template=complete, action="return", comment="ระบุแหล่งข้อมูล"
    )
    services.template_act(actor=kpi_owner, template=complete, action="submit")
    services.template_act(actor=planning_officer, template=complete, action="approve")

    rows = list(
        complete.transitions.order_by("created_at", "id").values_list(
            "action", "from_state", "to_state", "actor", "comment"
        )
    )
    assert rows == [
        ("submit", "draft", "submitted", kpi_owner.pk, ""),
        ("return", "submitted", "returned", planning_officer.pk, "ระบุแหล่งข้อมูล"),
        ("submit", "returned", "submitted", kpi_owner.pk, ""),
        ("approve", "submitted", "approved", planning_officer.pk, ""),
    ]


# --- template_new_revision -----------------------------------------------------------------------------


def test_a_new_revision_copies_everything_into_a_draft(complete, kpi_owner):
    services.template_save(
        actor=kpi_owner,
        template=complete,
        formula="A / B × 100",
        numerator="A",
        denominator="B",
        conditions="ไม่รวมหน่วยงานใหม่",
        baseline_1=D("61.5"),
        baseline_2=D("63"),
        baseline_3=D("64.25"),
        data_source="รายงานประจำปี",
        collection_method="รายไตรมาส",
        reports_at_6=False,
        target_9="60",
        supervisor_name="นางสาวกำกับ ดูแล",
        supervisor_phone="0 2590 4000",
        collector_name="นายจัดเก็บ ข้อมูล",
        expected_evidence="รายงานผล",
        target=D("65"),
        target_step=D("5"),
    )
    put_in_state(complete, TemplateState.APPROVED)

    revision = services.template_new_revision(actor=kpi_owner, template=complete)

    complete.refresh_from_db()
    assert revision.revision == 2
    assert revision.kpi_id == complete.kpi_id
    assert revision.state == TemplateState.DRAFT
    assert revision.created_by == kpi_owner
    assert {name: getattr(revision, name) for name in TEMPLATE_FIELDS} == {
        name: getattr(complete, name) for name in TEMPLATE_FIELDS
    }
    assert complete.state == TemplateState.APPROVED
    assert list(complete.kpi.templates.order_by("revision").values_list("revision", "state")) == [
        (1, "approved"),
        (2, "draft"),
    ]


@pytest.mark.parametrize(
    "state", [TemplateState.DRAFT, TemplateState.SUBMITTED, TemplateState.RETURNED]
)
def test_a_new_revision_needs_an_approved_one(complete, kpi_owner, state):
    put_in_state(complete, state)

    with pytest.raises(DomainError):
        services.template_new_revision(actor=kpi_owner, template=complete)

    assert complete.kpi.templates.count() == 1


def test_a_new_revision_is_refused_when_a_newer_one_exists(complete, kpi_owner):
    put_in_state(complete, TemplateState.APPROVED)
    services.template_new_revision(actor=kpi_owner, template=complete)

    with pytest.raises(DomainError) as caught:
        services.template_new_revision(actor=kpi_owner, template=complete)

    assert caught.value.message == "A newer revision exists already: change that one."
    assert complete.kpi.templates.count() == 2


def test_a_unit_head_cannot_start_a_new_revision(complete, unit_head):
    put_in_state(complete, TemplateState.APPROVED)

    with pytest.raises(ActionForbidden):
        services.template_new_revision(actor=unit_head, template=complete)


def test_the_floor_rule_does_not_change_what_a_draft_accepts(draft, kpi_owner, framework):
    framework.floor_rule = FloorRule.ZERO
    framework.save()

    services.template_save(actor=kpi_owner, template=draft, target=D("65"), target_step=D("5"))

    assert thresholds(draft)[0] == D("55")
