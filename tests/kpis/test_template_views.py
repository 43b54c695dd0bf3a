"""KPI template pages: the printable sheet, the form, the review buttons and the what-if calculator."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.translation import override
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from governance.enums import Role
from kpis.enums import CriteriaType, FloorRule, TemplateState
from kpis.models import KPITemplate, TemplateTransition
from tests.conftest import make_person
from tests.factories import FiscalYearFactory, FrameworkFactory, KPIFactory, KPITemplateFactory

D = Decimal
BANGKOK = ZoneInfo("Asia/Bangkok")
HTMX = {"HTTP_HX_REQUEST": "true"}


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def put_in_state(template: KPITemplate, state: str) -> KPITemplate:
    # Test set-up only: the application changes states through the workflow alone.
    KPITemplate.objects.filter(pk=template.pk).update(state=state)
    template.refresh_from_db()
    return template


@pytest.fixture
def framework(tree):
    return FrameworkFactory(fiscal_year=FiscalYearFactory(year=2552), organisation=tree.department)


@pytest.fixture
def kpi(tree, framework):
    kpi = KPIFactory(
        framework=framework,
        owner=tree.planning_unit,
        code="1.1.3",
        weight=D("2.5"),
        template=False,
        name_th="ร้อยละของหญิงตั้งครรภ์ที่ได้รับการฝากครรภ์",
        name_en="Percentage of pregnant women with antenatal care",
    )
    kpi.supporting_units.set([tree.secretary_office])
    return kpi


@pytest.fixture
def template(kpi):
    """A draft with the deck's "65 ± 5" (55/60/65/70/75) and the other sections filled in."""
    template = KPITemplateFactory(
        kpi=kpi,
        definition="หญิงตั้งครรภ์ที่มาฝากครรภ์ครั้งแรก",
        formula="(A / B) × 100",
        numerator="A = จำนวนหญิงตั้งครรภ์ที่ฝากครรภ์",
        denominator="B = จำนวนหญิงตั้งครรภ์ทั้งหมด",
        target=D(65),
        target_step=D(5),
        conditions="ไม่รวมผู้ย้ายถิ่น",
        baseline_1=D("61.5"),
        baseline_2=D("63"),
        baseline_3=D("64.25"),
        data_source="รายงาน ก.1",
        collection_method="รายไตรมาส",
        reports_at_6=False,
        target_9="ร้อยละ 60",
        target_12="ร้อยละ 65",
        supervisor_name="นางสาวกำกับ ดูแล",
        supervisor_position="ผู้อำนวยการกองแผนงาน",
        supervisor_phone="0 2590 4000",
        collector_name="นายจัดเก็บ ข้อมูล",
        collector_position="นักวิเคราะห์นโยบายและแผน",
        collector_phone="0 2590 4001",
        expected_evidence="รายงานผลการดำเนินงาน",
    )
    template.refresh_from_db()  # Decimals, as the database gives them back
    return template


@pytest.fixture
def kpi_owner(tree):
    return make_person(tree.planning_unit, Role.KPI_OWNER, username="owner")


def detail_url(template):
    return reverse("kpis:template_detail", args=[template.pk])


def edit_url(template):
    return reverse("kpis:template_edit", args=[template.pk])


def what_if_url(template):
    return reverse("kpis:template_what_if", args=[template.pk])


def act_url(template, action):
    return reverse("kpis:template_act", args=[template.pk, action])


# --- The printable sheet -------------------------------------------------------------------------------


def test_the_sheet_shows_every_section_in_the_thai_forms_order(client, unit_head, template):
    in_english(client).force_login(unit_head)

    response = client.get(detail_url(template))

    assert response.status_code == 200
    content = response.content.decode()
    order = [
        "1.1.3",
        "Percentage of pregnant women with antenatal care",
        "percent",
        "Planning Division",
        "Office of the Secretary",
        "หญิงตั้งครรภ์ที่มาฝากครรภ์ครั้งแรก",
        "(A / B) × 100",
        "A = จำนวนหญิงตั้งครรภ์ที่ฝากครรภ์",
        "criteria-table",
        "ไม่รวมผู้ย้ายถิ่น",
        "FY 2549",
        "รายงาน ก.1",
        "รายไตรมาส",
        "ร้อยละ 65",
        "นางสาวกำกับ ดูแล",
        "0 2590 4001",
        "รายงานผลการดำเนินงาน",
    ]
    positions = [content.index(text) for text in order]
    assert positions == sorted(positions)


def test_the_sheet_shows_weights_and_thresholds_without_trailing_zeros(client, unit_head, template):
    in_english(client).force_login(unit_head)

    response = client.get(detail_url(template))

    assert [
        (row.level, row.kind, row.text, row.is_target) for row in response.context["criteria_rows"]
    ] == [
        (1, "threshold", "55", False),
        (2, "threshold", "60", False),
        (3, "threshold", "65", True),
        (4, "threshold", "70", False),
        (5, "threshold", "75", False),
    ]
    assert response.context["weight"] == "2.5"
    assertNotContains(response, "55.0000")
    assertNotContains(response, "2.5000")
    assertContains(response, "Higher is better")
    assertContains(response, "Set as target 65 ± 5 per level.")


def test_the_sheet_marks_the_frameworks_target_level(client, unit_head, template, framework):
    framework.target_level = 4
    framework.save()
    client.force_login(unit_head)

    response = client.get(detail_url(template))

    assert [row.level for row in response.context["criteria_rows"] if row.is_target] == [4]
    assertContains(response, 'class="table-primary"', count=1)


def test_the_sheet_labels_baselines_with_the_three_previous_buddhist_years(
    client, unit_head, template
):
    client.force_login(unit_head)

    response = client.get(detail_url(template))

    assert [(cell.year_label, cell.value) for cell in response.context["baselines"]] == [
        ("ปีงบประมาณ พ.ศ.\u00a02549", "61.5"),
        ("ปีงบประมาณ พ.ศ.\u00a02550", "63"),
        ("ปีงบประมาณ พ.ศ.\u00a02551", "64.25"),
    ]
    assert response.context["baseline_average"] == "62.92"
    assertContains(response, "62.92")


def test_the_sheet_shows_the_reporting_rounds_ticked_with_their_targets(
    client, unit_head, template
):
    client.force_login(unit_head)

    response = client.get(detail_url(template))

    assert [(r.months, r.reported, r.target) for r in response.context["rounds"]] == [
        (6, False, ""),
        (9, True, "ร้อยละ 60"),
        (12, True, "ร้อยละ 65"),
    ]


def test_milestone_criteria_show_the_step_of_each_level(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(
        criteria_type=CriteriaType.MILESTONE, step_1="แต่งตั้งคณะทำงาน", step_5="รายงานผล"
    )
    client.force_login(unit_head)

    response = client.get(detail_url(template))

    rows = response.context["criteria_rows"]
    assert (rows[0].kind, rows[0].text) == ("step", "แต่งตั้งคณะทำงาน")
    assert rows[4].text == "รายงานผล"


def test_hybrid_criteria_show_steps_then_thresholds(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(
        criteria_type=CriteriaType.HYBRID, step_count=2, step_1="จัดตั้งคณะทำงาน", step_2="จัดทำแผน"
    )
    client.force_login(unit_head)

    response = client.get(detail_url(template))

    assert [(row.kind, row.text) for row in response.context["criteria_rows"]] == [
        ("step", "จัดตั้งคณะทำงาน"),
        ("step", "จัดทำแผน"),
        ("threshold", "65"),
        ("threshold", "70"),
        ("threshold", "75"),
    ]


def test_the_owner_sees_submit_and_edit_but_no_review_buttons(client, kpi_owner, template):
    client.force_login(kpi_owner)

    response = client.get(detail_url(template))

    assert [a.name for a in response.context["actions"]] == ["submit"]
    assertContains(response, f'action="{act_url(template, "submit")}"')
    assertContains(response, f'href="{edit_url(template)}"')
    assertNotContains(response, act_url(template, "approve"))


def test_planning_staff_see_return_with_a_comment_box_and_approve(
    client, planning_officer, template
):
    put_in_state(template, TemplateState.SUBMITTED)
    client.force_login(planning_officer)

    response = client.get(detail_url(template))

    assert [a.name for a in response.context["actions"]] == ["return", "approve"]
    assertContains(response, 'name="comment"', count=1)
    assertContains(response, f'action="{act_url(template, "approve")}"')
    assertNotContains(response, f'href="{edit_url(template)}"')


def test_a_unit_head_reads_the_sheet_without_any_button(client, unit_head, template):
    client.force_login(unit_head)

    response = client.get(detail_url(template))

    assert response.context["actions"] == []
    assert response.context["can_edit"] is False
    assertNotContains(response, "/state/")
    assertNotContains(response, edit_url(template))


def test_the_history_shows_who_when_in_buddhist_years_the_change_and_the_comment(
    client, kpi_owner, planning_officer, template
):
    TemplateTransition.objects.create(
        template=template,
        action="return",
        from_state="submitted",
        to_state="returned",
        actor=planning_officer,
        comment="ปรับเกณฑ์ระดับ 5",
        created_at=datetime(2009, 1, 15, 10, 30, tzinfo=BANGKOK),
    )
    put_in_state(template, TemplateState.RETURNED)
    planning_officer.name_th = "นางวางแผน ดี"
    planning_officer.save()
    client.force_login(kpi_owner)

    response = client.get(detail_url(template))

    assertContains(response, "15 ม.ค. 2552 10:30")
    assertContains(response, "นางวางแผน ดี")
    assertContains(response, "ปรับเกณฑ์ระดับ 5")
    with override("th"):
        change = f'{TemplateState.SUBMITTED.label} <span aria-hidden="true">→</span>'
        assertContains(response, change)
        assertContains(response, str(TemplateState.RETURNED.label))


def test_older_revisions_stay_viewable_and_link_to_the_latest(client, kpi_owner, template, kpi):
    put_in_state(template, TemplateState.APPROVED)
    newer = KPITemplateFactory(kpi=kpi, revision=2)
    client.force_login(kpi_owner)

    response = in_english(client).get(detail_url(template))

    assert response.status_code == 200
    assert [r.revision for r in response.context["revisions"]] == [1, 2]
    assert response.context["newer_revision"] == newer
    assert response.context["can_revise"] is False
    assertContains(response, f'href="{detail_url(newer)}"')
    assertNotContains(response, reverse("kpis:template_revise", args=[template.pk]))


def test_the_latest_approved_revision_offers_a_new_revision_to_the_owner(
    client, kpi_owner, unit_head, template
):
    put_in_state(template, TemplateState.APPROVED)
    client.force_login(kpi_owner)

    response = client.get(detail_url(template))

    assert response.context["can_revise"] is True
    assertContains(response, f'action="{reverse("kpis:template_revise", args=[template.pk])}"')

    client.force_login(unit_head)
    assert client.get(detail_url(template)).context["can_revise"] is False


def test_the_sheet_has_the_calculator(client, unit_head, template):
    client.force_login(unit_head)

    response = client.get(detail_url(template))

    assertContains(response, f'hx-get="{what_if_url(template)}"')
    assertContains(response, 'hx-trigger="input changed delay:300ms"')
    assertContains(response, 'id="what-if-output"')
    assertContains(response, "js/kpis-template")


def test_an_outsider_cannot_see_the_sheet(client, other_admin, template):
    client.force_login(other_admin)

    assert client.get(detail_url(template)).status_code == 404


# --- The form ----------------------------------------------------------------------------------------------


def form_data(template: KPITemplate, **changes) -> dict:
    """What the browser posts back for an unchanged template, with `changes`."""
    data = {
        "definition": template.definition,
        "formula": template.formula,
        "numerator": template.numerator,
        "denominator": template.denominator,
        "criteria_type": template.criteria_type,
        "higher_is_better": str(template.higher_is_better),
        "step_count": str(template.step_count),
        "target": "",
        "target_step": "",
        "conditions": template.conditions,
        "data_source": template.data_source,
        "collection_method": template.collection_method,
        "target_6": "",
        "target_9": "",
        "target_12": "",
        "supervisor_name": "",
        "supervisor_position": "",
        "supervisor_phone": "",
        "collector_name": "",
        "collector_position": "",
        "collector_phone": "",
        "expected_evidence": "",
        "reports_at_9": "on",
        "reports_at_12": "on",
        "save": "Save",
    }
    for level in range(1, 6):
        value = getattr(template, f"threshold_{level}")
        data[f"threshold_{level}"] = "" if value is None else f"{value.normalize():f}"
        data[f"step_{level}"] = getattr(template, f"step_{level}")
    for n in (1, 2, 3):
        value = getattr(template, f"baseline_{n}")
        data[f"baseline_{n}"] = "" if value is None else f"{value.normalize():f}"
    data.update(changes)
    return data


def test_the_form_shows_numbers_as_typed_and_baselines_by_year(client, kpi_owner, template):
    client.force_login(kpi_owner)

    response = client.get(edit_url(template))

    assert response.status_code == 200
    assertContains(response, 'name="threshold_1" value="55"')
    assertContains(response, 'name="baseline_3" value="64.25"')
    assertContains(response, "ปีงบประมาณ พ.ศ.\u00a02549")
    assertContains(response, "ปีงบประมาณ พ.ศ.\u00a02551")
    assertContains(response, 'data-target-level="3"')
    assertContains(response, "js/kpis-template")
    for legend in ("criteria-fieldset",):
        assertContains(response, legend)


def test_saving_accepts_thousands_commas(client, kpi_owner, template):
    client.force_login(kpi_owner)

    response = client.post(
        edit_url(template), form_data(template, baseline_1="1,234.5", definition="นิยามใหม่")
    )

    assert response.status_code == 302
    assert response.url == detail_url(template)
    template.refresh_from_db()
    assert template.baseline_1 == D("1234.5")
    assert template.definition == "นิยามใหม่"
    assert template.state == TemplateState.DRAFT


@pytest.mark.parametrize("garbage", ["abc", "1,2", "12..5", "6O"])
def test_garbage_numbers_are_refused_at_their_field_keeping_what_was_typed(
    client, kpi_owner, template, garbage
):
    in_english(client).force_login(kpi_owner)

    response = client.post(
        edit_url(template), form_data(template, threshold_2=garbage, definition="ยังไม่บันทึก")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"threshold_2": ["Type a number, such as 1,234.5."]}
    assertContains(response, f'value="{garbage}"')
    assertContains(response, "ยังไม่บันทึก")
    template.refresh_from_db()
    assert template.definition == "หญิงตั้งครรภ์ที่มาฝากครรภ์ครั้งแรก"


def test_thresholds_out_of_order_are_refused_at_level_4(client, kpi_owner, template):
    in_english(client).force_login(kpi_owner)
    thresholds = dict(
        zip([f"threshold_{n}" for n in range(1, 6)], ["40", "50", "60", "60", "70"], strict=True)
    )

    response = client.post(edit_url(template), form_data(template, **thresholds))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "threshold_4": [
            "Thresholds must rise strictly when higher is better: level 3 (60) and level 4 (60)."
        ]
    }
    assertContains(response, 'name="threshold_1" value="40"')
    template.refresh_from_db()
    assert template.threshold_1 == D(55)


def test_target_and_step_fill_empty_thresholds_on_save(client, kpi_owner, template):
    client.force_login(kpi_owner)
    empty = {f"threshold_{n}": "" for n in range(1, 6)}

    client.post(edit_url(template), form_data(template, target="178", target_step="10", **empty))

    template.refresh_from_db()
    assert template.thresholds == (D(158), D(168), D(178), D(188), D(198))


def test_save_and_submit_submits_complete_criteria(client, kpi_owner, template):
    client.force_login(kpi_owner)
    data = form_data(template, definition="ส่งแล้ว")
    del data["save"]
    data["save_and_submit"] = "Save and submit"

    response = client.post(edit_url(template), data)

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.state == TemplateState.SUBMITTED
    assert template.definition == "ส่งแล้ว"
    assert template.transitions.get().actor == kpi_owner


def test_a_refused_submit_keeps_the_saved_draft_and_shows_why(client, kpi_owner, template):
    in_english(client).force_login(kpi_owner)
    data = form_data(template, definition="บันทึกไว้ก่อน", threshold_5="")
    del data["save"]
    data["save_and_submit"] = "Save and submit"

    response = client.post(edit_url(template), data)

    assert response.status_code == 200
    template.refresh_from_db()
    assert template.state == TemplateState.DRAFT
    assert template.definition == "บันทึกไว้ก่อน"
    assert template.threshold_5 is None
    assert response.context["form"].errors == {
        "threshold_5": ["Levels 1-5 need 5 thresholds; 4 are filled in."]
    }
    assert messages_of(response) == ["The draft has been saved, but it could not be submitted."]


@pytest.mark.parametrize("state", [TemplateState.SUBMITTED, TemplateState.APPROVED])
def test_a_locked_revision_cannot_be_edited(client, kpi_owner, template, state):
    put_in_state(template, state)
    client.force_login(kpi_owner)

    assert client.get(edit_url(template)).status_code == 403
    assert client.post(edit_url(template), form_data(template, definition="x")).status_code == 403


def test_a_returned_revision_shows_the_reviewers_comment_on_the_form(
    client, kpi_owner, planning_officer, template
):
    TemplateTransition.objects.create(
        template=template,
        action="return",
        from_state="submitted",
        to_state="returned",
        actor=planning_officer,
        comment="ระบุแหล่งข้อมูลให้ชัดเจน",
    )
    put_in_state(template, TemplateState.RETURNED)
    client.force_login(kpi_owner)

    response = client.get(edit_url(template))

    assert response.status_code == 200
    assertContains(response, "ระบุแหล่งข้อมูลให้ชัดเจน")


def test_planning_staff_may_fill_the_template_for_the_owner(client, planning_officer, template):
    client.force_login(planning_officer)

    assert client.get(edit_url(template)).status_code == 200


# --- The what-if calculator ------------------------------------------------------------------------------


def what_if(client, template, **params):
    return client.get(what_if_url(template), params, **HTMX)


@pytest.mark.parametrize(
    ("result", "score", "working"),
    [
        ("67", "3.4000", "3 + (67 − 65) / (70 − 65) = 3.4000"),
        ("63.3", "2.6600", "2 + (63.3 − 60) / (65 − 60) = 2.6600"),
    ],
)
def test_the_calculator_scores_the_worked_examples(
    client, unit_head, template, result, score, working
):
    in_english(client).force_login(unit_head)

    response = what_if(client, template, result=result)

    assert response.status_code == 200
    assertTemplateUsed(response, "kpis/includes/template_what_if_result.html")
    assertNotContains(response, "<html")
    outcome = response.context["what_if"]
    assert (outcome.score_display, outcome.working) == (score, working)
    assertContains(response, score)
    assertContains(response, working)


def test_the_calculator_names_the_level_reached(client, unit_head, template):
    in_english(client).force_login(unit_head)

    assertContains(what_if(client, template, result="67"), "Level reached: 3")
    response = what_if(client, template, result="80")
    assert response.context["what_if"].score_display == "5.0000"
    assertContains(response, "Level reached: 5")


def test_the_calculator_mirrors_lower_is_better(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(
        higher_is_better=False,
        threshold_1=75,
        threshold_2=70,
        threshold_3=65,
        threshold_4=60,
        threshold_5=55,
    )
    client.force_login(unit_head)

    outcome = what_if(client, template, result="63").context["what_if"]

    assert (outcome.score_display, outcome.working) == (
        "3.4000",
        "3 + (65 − 63) / (65 − 60) = 3.4000",
    )


def test_the_calculator_uses_the_frameworks_floor(client, unit_head, template, framework):
    framework.floor_rule = FloorRule.ZERO
    framework.save()
    in_english(client).force_login(unit_head)

    response = what_if(client, template, result="50")

    assert response.context["what_if"].score_display == "0.0000"
    assertContains(response, "Below level 1")


def test_the_calculator_accepts_thousands_commas(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(
        threshold_1=1000, threshold_2=1100, threshold_3=1200, threshold_4=1300, threshold_5=1400
    )
    client.force_login(unit_head)

    outcome = what_if(client, template, result="1,250").context["what_if"]

    assert (outcome.score_display, outcome.working) == (
        "3.5000",
        "3 + (1,250 − 1,200) / (1,300 − 1,200) = 3.5000",
    )


@pytest.mark.parametrize(
    ("garbage", "message"),
    [
        ("abc", "Result: Type a number, such as 1,234.5."),
        ("1,2", "Result: Type a number, such as 1,234.5."),
        ("NaN", "Result: Type a number, such as 1,234.5."),
        ("Infinity", "Result: Type a number, such as 1,234.5."),
        ("1e999999", "Result: Ensure that there are no more than 18 digits in total."),
    ],
)
def test_the_calculator_explains_a_result_that_is_not_a_number(
    client, unit_head, template, garbage, message
):
    in_english(client).force_login(unit_head)

    response = what_if(client, template, result=garbage)

    assert response.status_code == 200
    assert response.context["what_if"].score is None
    assert response.context["what_if"].errors == [message]


def test_the_calculator_asks_for_a_result(client, unit_head, template):
    in_english(client).force_login(unit_head)

    assertContains(what_if(client, template), "Type a result to see its score.")


def test_the_calculator_explains_incomplete_criteria(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(threshold_4=None)
    in_english(client).force_login(unit_head)

    response = what_if(client, template, result="67")

    assert response.status_code == 200
    assertContains(response, "Levels 1-5 need 5 thresholds; 4 are filled in.")


def test_the_calculator_scores_milestones_from_the_ticked_steps(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(criteria_type=CriteriaType.MILESTONE)
    in_english(client).force_login(unit_head)

    response = what_if(client, template, step_1="on", step_2="on", step_3="on", step_5="on")

    assert response.context["what_if"].score_display == "3.0000"
    assertContains(response, "Steps 1 to 3 are done: level 3, score 3.0000.")


def test_the_calculator_scores_hybrid_criteria(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(
        criteria_type=CriteriaType.HYBRID,
        step_count=2,
        threshold_3=60,
        threshold_4=70,
        threshold_5=80,
    )
    client.force_login(unit_head)

    def outcome(**params):
        return what_if(client, template, **params).context["what_if"]

    assert (
        outcome(step_1="on", step_2="on", result="75").working
        == "4 + (75 − 70) / (80 − 70) = 4.5000"
    )
    assert outcome(step_1="on", step_2="on", result="55").score_display == "2.0000"
    assert outcome(step_1="on", result="75").score_display == "1.0000"


def test_the_calculator_tries_criteria_typed_on_the_edit_form(client, kpi_owner, template):
    client.force_login(kpi_owner)
    typed = {
        "criteria_type": "outcome",
        "higher_is_better": "True",
        "step_count": "0",
        "target": "20",
        "target_step": "2",
        **{f"threshold_{n}": "" for n in range(1, 6)},
    }

    outcome = what_if(client, template, result="21", **typed).context["what_if"]

    assert (outcome.score_display, outcome.working) == (
        "3.5000",
        "3 + (21 − 20) / (22 − 20) = 3.5000",
    )
    template.refresh_from_db()
    assert template.threshold_3 == D(65)


def test_the_calculator_explains_typed_thresholds_out_of_order(client, kpi_owner, template):
    in_english(client).force_login(kpi_owner)
    typed = {
        "criteria_type": "outcome",
        "higher_is_better": "True",
        "step_count": "0",
        **dict(
            zip(
                [f"threshold_{n}" for n in range(1, 6)], ["40", "50", "60", "60", "70"], strict=True
            )
        ),
    }

    response = what_if(client, template, result="55", **typed)

    assert response.status_code == 200
    assertContains(response, "level 3 (60) and level 4 (60)")


@pytest.mark.parametrize(
    "typed",
    [
        {"criteria_type": "nonsense"},
        {"criteria_type": "outcome", "threshold_1": "abc"},
        {"criteria_type": "hybrid", "step_count": "9"},
        {"criteria_type": "hybrid", "step_count": "0"},
        {"criteria_type": "outcome", "target": "65", "target_step": "-5"},
        {"criteria_type": "composite"},
    ],
)
def test_the_calculator_never_fails_on_odd_criteria(client, kpi_owner, template, typed):
    client.force_login(kpi_owner)

    response = what_if(client, template, result="67", **typed)

    assert response.status_code == 200
    outcome = response.context["what_if"]
    assert outcome.score is None
    assert outcome.errors or outcome.prompt


def test_without_javascript_the_calculator_renders_the_sheet_with_the_result(
    client, unit_head, template
):
    client.force_login(unit_head)

    response = client.get(what_if_url(template), {"result": "67"})

    assert response.status_code == 200
    assertTemplateUsed(response, "kpis/template_detail.html")
    assertContains(response, "3 + (67 − 65) / (70 − 65) = 3.4000")
    assertContains(response, 'value="67"')


def test_the_calculator_answers_a_post_too(client, unit_head, template):
    client.force_login(unit_head)

    response = client.post(what_if_url(template), {"result": "63.3"}, **HTMX)

    assert response.context["what_if"].score_display == "2.6600"


# --- Review actions -----------------------------------------------------------------------------------------


def test_the_owner_submits_from_the_sheet(client, kpi_owner, template):
    in_english(client).force_login(kpi_owner)

    response = client.post(act_url(template, "submit"))

    assert response.status_code == 302
    assert response.url == detail_url(template)
    template.refresh_from_db()
    assert template.state == TemplateState.SUBMITTED
    assert messages_of(response) == ["The template is now “Submitted for review”."]


def test_returning_without_a_comment_is_refused_with_a_message(client, planning_officer, template):
    put_in_state(template, TemplateState.SUBMITTED)
    in_english(client).force_login(planning_officer)

    response = client.post(act_url(template, "return"), {"comment": ""})

    assert response.status_code == 302
    assert messages_of(response) == ["Please give a reason."]
    template.refresh_from_db()
    assert template.state == TemplateState.SUBMITTED


def test_planning_staff_return_with_a_comment_kept_in_the_history(
    client, planning_officer, template
):
    put_in_state(template, TemplateState.SUBMITTED)
    client.force_login(planning_officer)

    client.post(act_url(template, "return"), {"comment": "เพิ่มหลักฐาน"})

    template.refresh_from_db()
    assert template.state == TemplateState.RETURNED
    assert template.transitions.get().comment == "เพิ่มหลักฐาน"


def test_planning_staff_approve(client, planning_officer, template):
    put_in_state(template, TemplateState.SUBMITTED)
    client.force_login(planning_officer)

    client.post(act_url(template, "approve"))

    template.refresh_from_db()
    assert template.state == TemplateState.APPROVED


def test_a_kpi_owner_cannot_approve(client, kpi_owner, template):
    put_in_state(template, TemplateState.SUBMITTED)
    client.force_login(kpi_owner)

    assert client.post(act_url(template, "approve")).status_code == 403
    template.refresh_from_db()
    assert template.state == TemplateState.SUBMITTED


def test_an_action_from_the_wrong_state_is_a_message(client, planning_officer, template):
    in_english(client).force_login(planning_officer)

    response = client.post(act_url(template, "approve"))

    assert response.status_code == 302
    assert messages_of(response) == ["“Approve” is not possible while the state is “Draft”."]


def test_an_unknown_action_is_a_message_not_an_error(client, kpi_owner, template):
    in_english(client).force_login(kpi_owner)

    response = client.post(act_url(template, "destroy"))

    assert response.status_code == 302
    assert messages_of(response) == ["Unknown action “destroy”."]


def test_actions_are_post_only(client, kpi_owner, template):
    client.force_login(kpi_owner)

    assert client.get(act_url(template, "submit")).status_code == 405
    assert client.get(reverse("kpis:template_revise", args=[template.pk])).status_code == 405


# --- New revisions --------------------------------------------------------------------------------------------


def test_a_new_revision_opens_its_form(client, kpi_owner, template):
    put_in_state(template, TemplateState.APPROVED)
    client.force_login(kpi_owner)

    response = client.post(reverse("kpis:template_revise", args=[template.pk]))

    revision = template.kpi.templates.get(revision=2)
    assert response.status_code == 302
    assert response.url == edit_url(revision)
    assert revision.state == TemplateState.DRAFT
    assert revision.definition == template.definition
    assert client.get(response.url).status_code == 200


def test_a_new_revision_of_a_draft_is_refused_with_a_message(client, kpi_owner, template):
    in_english(client).force_login(kpi_owner)

    response = client.post(reverse("kpis:template_revise", args=[template.pk]))

    assert response.status_code == 302
    assert response.url == detail_url(template)
    assert messages_of(response) == [
        "Only an approved revision needs a new revision; edit this one directly."
    ]
    assert template.kpi.templates.count() == 1


def test_the_sheet_hides_a_shorthand_the_thresholds_no_longer_follow(client, unit_head, template):
    KPITemplate.objects.filter(pk=template.pk).update(threshold_5=80)
    in_english(client).force_login(unit_head)

    response = client.get(detail_url(template))

    assert response.context["shorthand"] is None
    assertNotContains(response, "Set as target")
