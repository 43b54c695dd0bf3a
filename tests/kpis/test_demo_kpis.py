"""`manage.py load_demo` loads the FY 2552 KPI frameworks (kpis/demo/), idempotently."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from governance.management.commands.load_demo import later_demo_loaders
from kpis import demo, services
from kpis.criteria import Criteria
from kpis.enums import CriteriaType, FrameworkState, TemplateState
from kpis.models import (
    KPI,
    Dimension,
    Framework,
    FrameworkTransition,
    KPITemplate,
    TemplateTransition,
)
from kpis.selectors import current_template


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def output(db) -> str:
    return run_load_demo()


def framework_of(code: str) -> Framework:
    return Framework.objects.get(fiscal_year__year=2552, organisation__code=code)


def kpi(organisation_code: str, code: str) -> KPI:
    return KPI.objects.get(framework=framework_of(organisation_code), code=code)


def weights(kpis) -> dict[str, Decimal]:
    return {k.code: k.weight for k in kpis}


def row_counts() -> dict[str, int]:
    """Every KPI table the loader writes, history included: a re-run must add to none of them."""
    return {
        "frameworks": Framework.objects.count(),
        "framework history": Framework.history.count(),
        "framework transitions": FrameworkTransition.objects.count(),
        "dimensions": Dimension.objects.count(),
        "dimension history": Dimension.history.count(),
        "kpis": KPI.objects.count(),
        "kpi history": KPI.history.count(),
        "supporting units": KPI.supporting_units.through.objects.count(),
        "templates": KPITemplate.objects.count(),
        "template history": KPITemplate.history.count(),
        "template transitions": TemplateTransition.objects.count(),
    }


def test_the_department_framework_is_published_and_its_weights_reconcile(output):
    framework = framework_of("DOH")

    assert framework.state == FrameworkState.PUBLISHED
    assert services.framework_reconciliation(framework).ok
    assert framework.transitions.get().actor.username == "admin"


def test_the_department_dimensions_and_their_kpis_total_45_15_20_20(output):
    reconciliation = services.framework_reconciliation(framework_of("DOH"))

    assert [(d.number, d.weight, d.kpi_total) for d in reconciliation.dimensions] == [
        (1, Decimal("45"), Decimal("45")),
        (2, Decimal("15"), Decimal("15")),
        (3, Decimal("20"), Decimal("20")),
        (4, Decimal("20"), Decimal("20")),
    ]


def test_the_department_has_the_decks_fourteen_kpis_without_a_kpi_12(output):
    top_level = framework_of("DOH").kpis.filter(composite_parent=None)

    assert weights(top_level) == {
        "1": 20, "2": 10, "3": 15,
        "4": Decimal("3.75"), "5": Decimal("3.75"), "6": Decimal("3.75"), "7": Decimal("3.75"),
        "8": 4, "9": 4, "10": 4, "11": 4, "13": 4,
        "14": 20,
    }  # fmt: skip


def test_kpi_14_is_the_pmqa_composite_weighted_12_4_4(output):
    pmqa = kpi("DOH", "14")

    assert current_template(pmqa).criteria_type == CriteriaType.COMPOSITE
    assert pmqa.dimension.number == 4
    assert weights(pmqa.sub_kpis.all()) == {"14.1": 12, "14.2": 4, "14.3": 4}
    assert {sub.dimension_id for sub in pmqa.sub_kpis.all()} == {pmqa.dimension_id}


def test_kpis_1_and_3_are_composites_of_the_decks_sub_goals(output):
    assert weights(kpi("DOH", "1").sub_kpis.all()) == {"1.1": 13, "1.2": 5, "1.3": 2}
    assert weights(kpi("DOH", "3").sub_kpis.all()) == {"3.1": 10, "3.2": 5}
    assert current_template(kpi("DOH", "1")).criteria_type == CriteriaType.COMPOSITE
    assert current_template(kpi("DOH", "3")).criteria_type == CriteriaType.COMPOSITE


def test_the_owner_units_are_those_of_the_deck(output):
    owners = dict(framework_of("DOH").kpis.values_list("code", "owner__abbreviation_th"))

    assert {code: owners[code] for code in ("4", "6", "7", "8", "9", "10", "11", "13")} == {
        "4": "สลก.", "6": "กอง จ.", "7": "สลก.", "8": "กอง ค.", "9": "กตส.", "10": "กอง ค.",
        "11": "สลก.", "13": "ศกม.",
    }  # fmt: skip
    assert kpi("DOH", "4").supporting_units.get().abbreviation_th == "กพร."
    assert kpi("DOH", "5").name_en == "KPI 5 (not legible in the source deck)"


def test_ministry_kpi_1_1_3_expands_65_plus_minus_5_and_scores_67_as_3_4(output):
    template = current_template(kpi("MOPH", "1.1.3"))

    assert template.thresholds == tuple(Decimal(t) for t in ("55", "60", "65", "70", "75"))
    assert Criteria.of(template).score(result=Decimal("67")) == Decimal("3.4000")


def test_the_ministry_and_mission_group_frameworks_are_drafts_with_the_decks_kpis(output):
    ministry, mission_group = framework_of("MOPH"), framework_of("PHDEV")

    assert ministry.state == mission_group.state == FrameworkState.DRAFT
    assert weights(ministry.kpis.all()) == {"1.1.1": 3, "1.1.3": 1, "1.1.5": 4, "1.1.6": 2}
    assert current_template(kpi("MOPH", "1.1.1")).step_count == 2
    assert current_template(kpi("MOPH", "1.1.6")).criteria_type == CriteriaType.MILESTONE
    assert weights(kpi("PHDEV", "2.1").sub_kpis.all()) == {"2.1.1": 2, "2.1.2": 1}


def test_the_mission_groups_hospital_kpis_are_one_step_then_178_and_15_plus_minus(output):
    own = current_template(kpi("PHDEV", "2.1.1"))
    others = current_template(kpi("PHDEV", "2.1.2"))
    academic = current_template(kpi("PHDEV", "1.3"))

    assert (own.criteria_type, own.step_count) == (CriteriaType.HYBRID, 1)
    assert Criteria.of(own).thresholds_in_use == tuple(Decimal(t) for t in (168, 178, 188, 198))
    assert Criteria.of(others).thresholds_in_use == tuple(Decimal(t) for t in (10, 15, 20, 25))
    assert (academic.step_count, academic.threshold_4) == (3, Decimal("50"))


def test_the_department_kpis_cascade_from_the_levels_above(output):
    assert kpi("DOH", "1.1").parent_kpi == kpi("MOPH", "1.1.3")
    assert kpi("DOH", "1.2").parent_kpi == kpi("MOPH", "1.1.1")
    assert kpi("DOH", "2").parent_kpi == kpi("PHDEV", "2.1")
    assert kpi("DOH", "1.2").strategic_issue.number == 1
    assert kpi("DOH", "13").strategic_issue.number == 6


def test_every_department_kpi_has_a_complete_template_whose_criteria_validate(output):
    for item in framework_of("DOH").kpis.all():
        template = current_template(item)
        if template.criteria_type != CriteriaType.COMPOSITE:
            Criteria.of(template).validate()
        services.check_criteria(template, complete=True)
        assert template.definition
        assert None not in (template.baseline_1, template.baseline_2, template.baseline_3)
        filled = (
            "data_source",
            "collection_method",
            "expected_evidence",
            "supervisor_name",
            "supervisor_phone",
            "collector_name",
            "collector_position",
            "collector_phone",
        )
        assert [name for name in filled if not getattr(template, name)] == [], item.code


def test_ratio_kpis_state_their_numerator_and_denominator(output):
    for code in ("1.1", "3.1", "3.2", "4", "8"):
        template = current_template(kpi("DOH", code))
        assert "" not in (template.formula, template.numerator, template.denominator), code


def test_department_templates_are_approved_by_the_planner_except_two_left_for_review(output):
    states = {item.code: current_template(item).state for item in framework_of("DOH").kpis.all()}
    approved = current_template(kpi("DOH", "14.1"))
    own_unit = current_template(kpi("DOH", "4"))

    assert {code for code, state in states.items() if state != TemplateState.APPROVED} == {
        "5",
        "7",
    }
    assert states["5"] == TemplateState.DRAFT
    assert states["7"] == TemplateState.SUBMITTED
    assert [(t.action, t.actor.username) for t in approved.transitions.all()] == [
        ("submit", "admin"),
        ("approve", "planner"),
    ]
    assert own_unit.transitions.get(action="submit").actor.username == "kpi_owner"


def test_load_demo_says_the_kpis_are_illustrative_and_names_the_templates_left(output):
    assert "KPI frameworks FY 2552 are ILLUSTRATIVE" in output
    assert "5 (draft), 7 (submitted)" in output
    assert "Department of Health: published, dimensions 45/15/20/20" in output


def test_running_load_demo_twice_writes_no_kpi_rows(output):
    before = row_counts()

    second = run_load_demo()

    assert row_counts() == before
    assert "KPIs: 30 (0 new)" in second


def test_a_second_run_keeps_a_template_a_demo_user_changed(output):
    template = current_template(kpi("DOH", "5"))
    services.template_save(
        actor=template.created_by, template=template, definition="ตัวชี้วัดที่ผู้ใช้แก้ไขแล้ว"
    )

    run_load_demo()

    assert current_template(kpi("DOH", "5")).definition == "ตัวชี้วัดที่ผู้ใช้แก้ไขแล้ว"


def test_a_second_run_restores_a_kpi_changed_by_hand_and_publishes_again(output):
    KPI.objects.filter(pk=kpi("DOH", "8").pk).update(weight=Decimal("5"))

    run_load_demo()

    framework = framework_of("DOH")
    assert kpi("DOH", "8").weight == 4
    assert framework.state == FrameworkState.PUBLISHED
    assert list(framework.transitions.values_list("action", flat=True)) == [
        "publish",
        "reopen",
        "publish",
    ]


def test_load_demo_runs_the_demo_loaders_of_the_apps_after_governance(db):
    assert demo.load in list(later_demo_loaders())
