"""Framework and KPI pages: exact content, forms that keep what was typed, fixed query counts."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from governance.enums import Role
from kpis import services
from kpis.enums import FloorRule, FrameworkState, TemplateState
from kpis.models import KPI, Framework, FrameworkTransition, KPITemplate
from tests.conftest import make_person
from tests.factories import (
    FiscalYearFactory,
    FrameworkFactory,
    KPIFactory,
    StrategicIssueFactory,
)

D = Decimal


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def planner(client, planning_officer):
    client.force_login(planning_officer)
    return in_english(client)


@pytest.fixture
def year(db):
    return FiscalYearFactory(year=2552)


@pytest.fixture
def framework(tree, year):
    return FrameworkFactory(
        fiscal_year=year,
        organisation=tree.department,
        name_th="กรอบการประเมินผล กรมอนามัย",
        name_en="Department of Health framework",
    )


@pytest.fixture
def ministry_kpi(tree, year):
    ministry_framework = FrameworkFactory(fiscal_year=year, organisation=tree.ministry)
    return KPIFactory(framework=ministry_framework, code="1.1", name_th="เป้าหมายกระทรวง")


def dim(framework, number):
    return framework.dimensions.get(number=number)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def text_of(html: bytes | str) -> str:
    """The page's text with tags removed and spaces collapsed, to compare what a person reads."""
    html = html.decode() if isinstance(html, bytes) else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def row_text(response, row_id: str) -> str:
    html = response.content.decode()
    match = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row {row_id}"
    return text_of(match.group(1))


def link_texts(response) -> dict[str, str]:
    """The text a person reads on each link of the page, by the link's address."""
    html = response.content.decode()
    return {
        href: text_of(inner)
        for href, inner in re.findall(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    }


def balance(framework):
    """KPIs weighing exactly the dimensions 45/15/20/20."""
    for code, weight, number in (("1", 45, 1), ("2", 15, 2), ("3", 20, 3), ("4", 20, 4)):
        KPIFactory(framework=framework, code=code, weight=weight, dimension=dim(framework, number))


def publish(framework, actor):
    balance(framework)
    services.framework_act(actor=actor, framework=framework, action="publish")
    framework.refresh_from_db()


# --- FrameworkList -----------------------------------------------------------------------------------


def test_list_groups_visible_frameworks_by_year_with_state_count_and_balance(
    tree, year, framework, planner
):
    next_year = FiscalYearFactory(year=2553)
    balanced = FrameworkFactory(
        fiscal_year=next_year, organisation=tree.department, name_en="DoH 2553"
    )
    balance(balanced)
    KPIFactory(framework=framework, code="1", weight=10)
    FrameworkFactory(fiscal_year=year, organisation=tree.other_department, name_en="Treasury")

    response = planner.get(reverse("kpis:framework_list"))

    assert response.status_code == 200
    assert [(fy.year, [r.framework for r in rows]) for fy, rows in response.context["years"]] == [
        (2553, [balanced]),
        (2552, [framework]),
    ]
    assert row_text(response, f"framework-{framework.pk}") == (
        "Department of Health (อน.) Department of Health framework Draft 1 Not balanced"
    )
    assert row_text(response, f"framework-{balanced.pk}") == (
        "Department of Health (อน.) DoH 2553 Draft 4 Balanced"
    )
    assertContains(response, "FY 2553")
    assertNotContains(response, "Treasury")
    assertContains(response, reverse("kpis:framework_create"))


def test_list_filters_by_fiscal_year(tree, year, framework, planner):
    next_year = FiscalYearFactory(year=2553)
    FrameworkFactory(fiscal_year=next_year, organisation=tree.department)

    response = planner.get(reverse("kpis:framework_list"), {"fiscal_year": year.pk})

    assert [(fy.year, [r.framework for r in rows]) for fy, rows in response.context["years"]] == [
        (2552, [framework])
    ]
    assertContains(response, "Show all")


def test_list_offers_no_new_framework_to_a_unit_head(client, framework, unit_head):
    client.force_login(unit_head)

    response = in_english(client).get(reverse("kpis:framework_list"))

    assertContains(response, framework.name_en)
    assertNotContains(response, reverse("kpis:framework_create"))


def test_list_queries_do_not_grow_with_frameworks_or_kpis(
    tree, year, planning_officer, client, django_assert_num_queries
):
    client.force_login(planning_officer)
    FrameworkFactory(fiscal_year=year, organisation=tree.department)
    url = reverse("kpis:framework_list")
    with CaptureQueriesContext(connection) as one_framework:
        client.get(url)
    for organisation, other_year in ((tree.planning_unit, 2553), (tree.secretary_office, 2554)):
        for fiscal_year in (year, FiscalYearFactory(year=other_year)):
            other = FrameworkFactory(fiscal_year=fiscal_year, organisation=organisation)
            for code in range(1, 6):
                KPIFactory(framework=other, code=str(code))

    with django_assert_num_queries(len(one_framework.captured_queries)):
        response = client.get(url)

    assert sum(len(rows) for _, rows in response.context["years"]) == 5


# --- FrameworkCreate / FrameworkEdit --------------------------------------------------------------


def test_create_offers_only_the_organisations_the_planner_covers(tree, year, planner):
    response = planner.get(reverse("kpis:framework_create"))

    assert list(response.context["form"].fields["organisation"].queryset) == [
        tree.department,
        tree.planning_unit,
        tree.secretary_office,
    ]


def test_create_makes_a_draft_with_four_dimensions_and_opens_it(tree, year, planner):
    response = planner.post(
        reverse("kpis:framework_create"),
        {
            "fiscal_year": year.pk,
            "organisation": tree.department.pk,
            "name_th": "กรอบ 2552",
            "name_en": "Framework 2552",
            "floor_rule": FloorRule.ZERO,
            "target_level": 4,
        },
    )

    framework = Framework.objects.get()
    assert response.status_code == 302
    assert response.url == framework.get_absolute_url()
    assert (framework.name_th, framework.floor_rule, framework.target_level) == (
        "กรอบ 2552",
        "zero",
        4,
    )
    assert [d.weight for d in framework.dimensions.order_by("number")] == [45, 15, 20, 20]


def test_create_a_second_framework_shows_the_error_at_the_organisation_and_keeps_the_values(
    tree, year, framework, planner
):
    response = planner.post(
        reverse("kpis:framework_create"),
        {
            "fiscal_year": year.pk,
            "organisation": tree.department.pk,
            "name_th": "กรอบซ้ำ",
            "name_en": "Duplicate",
            "floor_rule": FloorRule.ONE,
            "target_level": 3,
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["organisation"] == [
        "Department of Health (อน.) already has a framework for FY 2552."
    ]
    assertContains(response, 'value="กรอบซ้ำ"')
    assertContains(response, 'value="Duplicate"')
    assert Framework.objects.count() == 1


def test_create_refuses_markup_in_the_name(tree, year, planner):
    response = planner.post(
        reverse("kpis:framework_create"),
        {
            "fiscal_year": year.pk,
            "organisation": tree.department.pk,
            "name_th": "<b>กรอบ</b>",
            "name_en": "Kept",
            "floor_rule": FloorRule.ONE,
            "target_level": 3,
        },
    )

    assert response.context["form"].errors["name_th"] == [
        "Please remove the HTML tags or entities from this text."
    ]
    assertContains(response, 'value="Kept"')
    assert not Framework.objects.exists()


def test_edit_saves_names_and_rules(framework, planner):
    response = planner.post(
        reverse("kpis:framework_edit", args=[framework.pk]),
        {
            "name_th": "ชื่อใหม่",
            "name_en": "New name",
            "floor_rule": FloorRule.ZERO,
            "target_level": 4,
        },
    )

    assert response.url == framework.get_absolute_url()
    framework.refresh_from_db()
    assert (framework.name_th, framework.name_en, framework.floor_rule, framework.target_level) == (
        "ชื่อใหม่",
        "New name",
        "zero",
        4,
    )


def test_edit_of_a_published_framework_renames_it_but_keeps_the_scoring_rules(
    framework, planning_officer, planner
):
    publish(framework, planning_officer)

    response = planner.post(
        reverse("kpis:framework_edit", args=[framework.pk]),
        {
            "name_th": "ชื่อใหม่",
            "name_en": "Renamed",
            "floor_rule": FloorRule.ZERO,
            "target_level": 5,
        },
    )

    assert response.status_code == 302
    framework.refresh_from_db()
    assert (framework.name_en, framework.floor_rule, framework.target_level) == (
        "Renamed",
        "one",
        3,
    )


# --- FrameworkDetail ---------------------------------------------------------------------------------


@pytest.fixture
def full_framework(tree, year, framework, ministry_kpi):
    """KPIs of every kind the page shows: cascaded, composite with parts, supporting units."""
    issue = StrategicIssueFactory(organisation=tree.department, fiscal_year=year, number=2)
    first = KPIFactory(
        framework=framework,
        code="1",
        name_th="ร้อยละของความสำเร็จ",
        name_en="Success rate",
        unit_th="ร้อยละ",
        unit_en="percent",
        weight=D("42.5"),
        owner=tree.planning_unit,
        parent_kpi=ministry_kpi,
        strategic_issue=issue,
    )
    first.supporting_units.set([tree.secretary_office, tree.planning_unit])
    composite = KPIFactory(
        framework=framework,
        code="14",
        name_th="PMQA",
        name_en="",
        unit_th="ระดับ",
        unit_en="",
        weight=20,
        dimension=dim(framework, 4),
        owner=tree.secretary_office,
    )
    KPIFactory(
        framework=framework,
        code="14.1",
        name_th="หมวด 1",
        name_en="Category 1",
        weight=D("2.5"),
        dimension=dim(framework, 4),
        composite_parent=composite,
        owner=tree.planning_unit,
    )
    KPIFactory(
        framework=framework,
        code="2",
        weight=20,
        dimension=dim(framework, 2),
        owner=tree.planning_unit,
    )
    return framework


def test_detail_shows_the_header_and_the_workflow_buttons(full_framework, planner):
    response = planner.get(full_framework.get_absolute_url())

    assert response.status_code == 200
    page = text_of(response.content)
    assert "Draft กรอบการประเมินผล กรมอนามัย Department of Health framework" in page
    assert "Organisation Department of Health (อน.) Fiscal year FY 2552" in page
    assert "Score below level 1 1.0000, as in the OPDC method Target level 3 KPIs 4" in page
    assert [a.name for a in response.context["actions"]] == ["publish"]
    assertContains(
        response, f'action="{reverse("kpis:framework_act", args=[full_framework.pk, "publish"])}"'
    )
    for name in (
        "kpi_create",
        "framework_dimensions",
        "framework_edit",
        "framework_export",
        "framework_import",
        "framework_clone",
    ):
        assertContains(response, f'href="{reverse(f"kpis:{name}", args=[full_framework.pk])}"')


def test_detail_reconciliation_panel_names_what_is_missing_and_over(full_framework, planner):
    response = planner.get(full_framework.get_absolute_url())

    assert row_text(response, "balance-1") == "1. Effectiveness 45 42.5 2.5 missing"
    assert row_text(response, "balance-2") == "2. Service quality 15 20 5 over"
    assert row_text(response, "balance-3") == "3. Efficiency 20 0 20 missing"
    assert row_text(response, "balance-4") == "4. Organisational development 20 20 Balanced"
    assert (
        row_text(response, "balance-total")
        == "Total of the dimensions (must be 100) 100 82.5 17.5 missing"
    )
    assert response.context["panel"].problems == [
        "Dimension 1 “Effectiveness” weighs 45 but its KPIs (1) total 42.5.",
        "Dimension 2 “Service quality” weighs 15 but its KPIs (2) total 20.",
        "Dimension 3 “Efficiency” weighs 20 but its KPIs (no KPIs) total 0.",
    ]
    assertContains(response, "Weights do not reconcile")
    assertContains(
        response,
        "<li>Dimension 3 “Efficiency” weighs 20 but its KPIs (no KPIs) total 0.</li>",
        html=True,
    )


def test_detail_says_when_the_weights_reconcile(framework, planner):
    balance(framework)

    response = planner.get(framework.get_absolute_url())

    assert response.context["panel"].ok is True
    assertContains(
        response, "Every dimension's KPIs add up to its weight, and the dimensions total 100."
    )
    assert (
        row_text(response, "balance-total")
        == "Total of the dimensions (must be 100) 100 100 Balanced"
    )


def test_detail_lists_kpis_by_dimension_with_sub_kpis_under_their_composite(
    full_framework, ministry_kpi, planner
):
    response = planner.get(full_framework.get_absolute_url())

    sections = response.context["sections"]
    assert [
        (s.dimension.number, [(line.kpi.code, line.is_sub) for line in s.lines]) for s in sections
    ] == [(1, [("1", False)]), (2, [("2", False)]), (3, []), (4, [("14", False), ("14.1", True)])]
    first = full_framework.kpis.get(code="1")
    assert row_text(response, f"kpi-{first.pk}") == (
        "1 ร้อยละของความสำเร็จ Success rate percent 42.5 กผ. กผ. , สลก. 2 1.1 Revision 1 Draft Edit 1 Delete 1"
    )
    part = full_framework.kpis.get(code="14.1")
    assert row_text(response, f"kpi-{part.pk}") == (
        "sub-KPI of 14: 14.1 หมวด 1 Category 1 percent 2.5 within 14 กผ. — — — Revision 1 Draft "
        "Edit 14.1 Delete 14.1"
    )
    assertContains(response, f'<tr id="kpi-{part.pk}" class="kpi-sub">')
    assertContains(
        response, f'href="{reverse("kpis:template_detail", args=[first.templates.get().pk])}"'
    )
    assertContains(response, f'href="{ministry_kpi.get_absolute_url()}"')
    assertContains(response, "No KPIs in this dimension yet.")
    assertContains(response, 'data-confirm="Delete KPI 14.1 and its template?"')


def test_detail_for_a_unit_head_reads_without_changing(client, full_framework, unit_head):
    client.force_login(unit_head)

    response = in_english(client).get(full_framework.get_absolute_url())

    assert response.status_code == 200
    assert response.context["actions"] == []
    assertNotContains(response, reverse("kpis:kpi_create", args=[full_framework.pk]))
    assertNotContains(response, reverse("kpis:framework_import", args=[full_framework.pk]))
    assertNotContains(response, "Delete")
    assertContains(response, reverse("kpis:framework_export", args=[full_framework.pk]))
    assertContains(response, "Weight reconciliation")


@pytest.mark.parametrize(
    ("person", "import_link"),
    [("planning_officer", "Import from Excel"), ("unit_head", None)],
)
def test_detail_links_the_excel_export_for_all_and_the_import_for_who_may_change_kpis(
    request, client, full_framework, person, import_link
):
    client.force_login(request.getfixturevalue(person))

    response = in_english(client).get(full_framework.get_absolute_url())

    links = link_texts(response)
    assert links[reverse("kpis:framework_export", args=[full_framework.pk])] == "Export (Excel)"
    assert links.get(reverse("kpis:framework_import", args=[full_framework.pk])) == import_link


def test_detail_of_a_published_framework_offers_reopen_with_a_reason(
    framework, planning_officer, planner
):
    publish(framework, planning_officer)

    response = planner.get(framework.get_absolute_url())

    assert [a.name for a in response.context["actions"]] == ["reopen"]
    assertContains(response, 'name="comment" id="comment-reopen" required')
    assertNotContains(response, reverse("kpis:kpi_create", args=[framework.pk]))
    assertContains(response, "This framework is published")
    assert "Published" in text_of(response.content)
    assert "Draft → Published" in text_of(response.content)


def _fill(framework, tree, count: int) -> None:
    """`count` KPIs: composites with parts, cascade links, supporting units and issues."""
    above = KPIFactory(
        framework=FrameworkFactory(fiscal_year=framework.fiscal_year, organisation=tree.ministry),
        code="9",
    )
    issue = StrategicIssueFactory(organisation=tree.department, fiscal_year=framework.fiscal_year)
    composite = None
    for n in range(count):
        if n % 3 == 2:
            kpi = KPIFactory(
                framework=framework,
                code=f"{composite.code}.{n}",
                composite_parent=composite,
                owner=tree.secretary_office,
            )
        else:
            kpi = KPIFactory(
                framework=framework,
                code=str(n + 1),
                parent_kpi=above,
                strategic_issue=issue,
                dimension=dim(framework, n % 4 + 1),
                owner=tree.planning_unit,
            )
            composite = kpi
        kpi.supporting_units.set([tree.secretary_office, tree.planning_unit])
        KPITemplate.objects.create(kpi=kpi, revision=2)


@pytest.mark.parametrize("count", [3, 30])
def test_detail_queries_do_not_grow_with_the_kpis(
    tree, framework, planning_officer, client, django_assert_max_num_queries, count
):
    _fill(framework, tree, count)
    client.force_login(planning_officer)

    # The same ceiling for 3 and for 30 KPIs: no query per KPI.
    with django_assert_max_num_queries(9):
        response = client.get(framework.get_absolute_url())

    assert response.context["kpi_count"] == count
    assert response.status_code == 200


# --- DimensionsEdit -------------------------------------------------------------------------------


def test_dimensions_page_shows_the_weights_and_their_total(framework, planner):
    response = planner.get(reverse("kpis:framework_dimensions", args=[framework.pk]))

    assert response.status_code == 200
    assertContains(response, 'name="weight_1" value="45"')
    assertContains(response, 'name="name_en_4" value="Organisational development"')
    assertContains(
        response,
        '<output id="weight-total" data-weight-total aria-live="polite" class="fw-semibold">100</output>',
        html=True,
    )
    assertContains(response, "The weights total 100.")
    assertContains(response, "js/kpis-frameworks.js")


def test_dimensions_save_and_warn_when_the_total_is_not_100(framework, planner):
    data = {
        "name_th_1": "ประสิทธิผล",
        "name_en_1": "Effect",
        "weight_1": "50",
        "name_th_2": "คุณภาพ",
        "name_en_2": "",
        "weight_2": "15",
        "name_th_3": "ประสิทธิภาพ",
        "name_en_3": "Efficiency",
        "weight_3": "20",
        "name_th_4": "พัฒนาองค์กร",
        "name_en_4": "Development",
        "weight_4": "20.5",
    }

    response = planner.post(
        reverse("kpis:framework_dimensions", args=[framework.pk]), data, follow=True
    )

    assert response.redirect_chain == [(framework.get_absolute_url(), 302)]
    assert [(d.name_en, d.weight) for d in framework.dimensions.order_by("number")] == [
        ("Effect", D("50")),
        ("", D("15")),
        ("Efficiency", D("20")),
        ("Development", D("20.5")),
    ]
    assert messages_of(response) == [
        "The dimension weights total 105.5, not 100: the framework cannot be published until they do.",
        "The dimensions have been saved.",
    ]
    assert (
        row_text(response, "balance-total")
        == "Total of the dimensions (must be 100) 105.5 0 5.5 over"
    )


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("abc", "Enter a number."),
        ("-1", "Ensure this value is greater than or equal to 0."),
        ("100.5", "Ensure this value is less than or equal to 100."),
    ],
)
def test_dimensions_bad_weight_is_shown_at_the_field_and_the_typed_values_stay(
    framework, planner, typed, error
):
    data = {f"name_th_{n}": f"มิติ {n}" for n in range(1, 5)}
    data.update(
        {
            "weight_1": "40",
            "weight_2": typed,
            "weight_3": "20",
            "weight_4": "20",
            "name_en_1": "Kept",
        }
    )

    response = planner.post(reverse("kpis:framework_dimensions", args=[framework.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"weight_2": [error]}
    assertContains(response, 'value="Kept"')
    assertContains(response, f'name="weight_2" value="{typed}"')
    assertContains(response, 'aria-invalid="true"')
    assert dim(framework, 1).weight == D("45")
    if typed == "abc":
        assertContains(response, "A weight is not a number: the total cannot be worked out.")
    else:
        assert response.context["total"] == str(D("80") + D(typed))


def test_dimensions_of_a_published_framework_are_locked_with_the_reason(
    framework, planning_officer, planner
):
    publish(framework, planning_officer)

    response = planner.get(reverse("kpis:framework_dimensions", args=[framework.pk]))

    assert response.status_code == 403
    assertContains(response, "The framework is published", status_code=403)
    assertContains(response, "reopen the framework for changes", status_code=403)


# --- FrameworkAct ---------------------------------------------------------------------------------


def test_publish_refused_shows_the_rows_that_do_not_reconcile(framework, planner):
    KPIFactory(framework=framework, code="1", weight=40)

    response = planner.post(
        reverse("kpis:framework_act", args=[framework.pk, "publish"]), follow=True
    )

    assert messages_of(response)[0].startswith(
        "The framework cannot be published yet: Dimension 1 “Effectiveness” weighs 45 but its KPIs (1) total 40."
    )
    framework.refresh_from_db()
    assert framework.state == FrameworkState.DRAFT


def test_publish_a_reconciled_framework(framework, planner, planning_officer):
    balance(framework)

    response = planner.post(
        reverse("kpis:framework_act", args=[framework.pk, "publish"]), follow=True
    )

    framework.refresh_from_db()
    assert framework.state == FrameworkState.PUBLISHED
    assert messages_of(response) == ["“Department of Health framework” is now “Published”."]
    transition = FrameworkTransition.objects.get()
    assert (transition.action, transition.actor) == ("publish", planning_officer)


def test_reopen_without_a_reason_is_refused_with_a_message(framework, planning_officer, planner):
    publish(framework, planning_officer)

    response = planner.post(
        reverse("kpis:framework_act", args=[framework.pk, "reopen"]), {"comment": ""}, follow=True
    )

    assert messages_of(response) == ["Please give a reason."]
    framework.refresh_from_db()
    assert framework.state == FrameworkState.PUBLISHED


def test_reopen_with_a_reason(framework, planning_officer, planner):
    publish(framework, planning_officer)

    planner.post(
        reverse("kpis:framework_act", args=[framework.pk, "reopen"]), {"comment": "เพิ่ม KPI"}
    )

    framework.refresh_from_db()
    assert framework.state == FrameworkState.DRAFT
    assert FrameworkTransition.objects.last().comment == "เพิ่ม KPI"


def test_an_unknown_action_is_a_message_not_an_error(framework, planner):
    response = planner.post(
        reverse("kpis:framework_act", args=[framework.pk, "archive"]), follow=True
    )

    assert response.status_code == 200
    assert messages_of(response) == ["Unknown action “archive”."]


def test_framework_act_is_post_only(framework, planner):
    assert (
        planner.get(reverse("kpis:framework_act", args=[framework.pk, "publish"])).status_code
        == 405
    )


# --- FrameworkClone -------------------------------------------------------------------------------


def test_clone_offers_only_years_without_a_framework(tree, year, framework, planner):
    next_year, taken = FiscalYearFactory(year=2553), FiscalYearFactory(year=2554)
    FrameworkFactory(fiscal_year=taken, organisation=tree.department)

    response = planner.get(reverse("kpis:framework_clone", args=[framework.pk]))

    assert list(response.context["form"].fields["fiscal_year"].queryset) == [next_year]


def test_clone_copies_and_opens_the_new_framework(tree, year, framework, planner):
    next_year = FiscalYearFactory(year=2553)
    KPIFactory(framework=framework, code="1")

    response = planner.post(
        reverse("kpis:framework_clone", args=[framework.pk]),
        {"fiscal_year": next_year.pk},
        follow=True,
    )

    clone = Framework.objects.get(fiscal_year=next_year)
    assert response.redirect_chain == [(clone.get_absolute_url(), 302)]
    assert messages_of(response) == [
        "The framework has been copied into FY 2553. Its KPI templates are new drafts."
    ]
    assert list(clone.kpis.values_list("code", flat=True)) == ["1"]
    assertContains(response, "Copied from")


def test_clone_without_free_years_says_so(framework, planner):
    response = planner.get(reverse("kpis:framework_clone", args=[framework.pk]))

    assertContains(response, "Open a new fiscal year first.")


# --- KPICreate / KPIEdit --------------------------------------------------------------------------


@pytest.fixture
def kpi_data(tree, framework):
    return {
        "code": "1.2",
        "name_th": "ร้อยละของหน่วยงาน",
        "name_en": "Share of units",
        "unit_th": "ร้อยละ",
        "unit_en": "percent",
        "dimension": dim(framework, 1).pk,
        "weight": "2.5",
        "owner": tree.planning_unit.pk,
        "supporting_units": [tree.secretary_office.pk],
        "order": "",
    }


def test_kpi_form_offers_only_choices_the_rules_allow(tree, year, framework, ministry_kpi, planner):
    issue = StrategicIssueFactory(organisation=tree.department, fiscal_year=year, number=1)
    StrategicIssueFactory(organisation=tree.department, fiscal_year=FiscalYearFactory(year=2553))
    composite = KPIFactory(framework=framework, code="14")
    KPIFactory(framework=framework, code="14.1", composite_parent=composite)
    # Not of the level above, or not of this year: never offered as "cascaded from".
    KPIFactory(
        framework=FrameworkFactory(fiscal_year=year, organisation=tree.planning_unit), code="7"
    )
    KPIFactory(
        framework=FrameworkFactory(
            fiscal_year=FiscalYearFactory(year=2551), organisation=tree.ministry
        )
    )

    response = planner.get(reverse("kpis:kpi_create", args=[framework.pk]))

    fields = response.context["form"].fields
    assert list(fields["dimension"].queryset) == list(framework.dimensions.order_by("number"))
    assert list(fields["composite_parent"].queryset) == [composite]
    assert list(fields["parent_kpi"].queryset) == [ministry_kpi]
    assert list(fields["owner"].queryset) == [
        tree.department,
        tree.planning_unit,
        tree.secretary_office,
    ]
    assert list(fields["strategic_issue"].queryset) == [issue]
    assertContains(response, f"สธ. · 1.1 {ministry_kpi.name_en}</option>")


def test_kpi_create_adds_the_kpi_and_returns_to_its_row(
    tree, framework, ministry_kpi, planner, kpi_data
):
    response = planner.post(
        reverse("kpis:kpi_create", args=[framework.pk]), {**kpi_data, "parent_kpi": ministry_kpi.pk}
    )

    kpi = KPI.objects.get(framework=framework)
    assert response.url == f"{framework.get_absolute_url()}#kpi-{kpi.pk}"
    assert (kpi.code, kpi.name_en, kpi.weight, kpi.owner, kpi.parent_kpi, kpi.order) == (
        "1.2",
        "Share of units",
        D("2.5"),
        tree.planning_unit,
        ministry_kpi,
        10,
    )
    assert list(kpi.supporting_units.all()) == [tree.secretary_office]
    assert kpi.templates.get().state == TemplateState.DRAFT


def test_kpi_create_a_sub_kpi_may_leave_the_dimension_empty(framework, planner, kpi_data):
    composite = KPIFactory(framework=framework, code="14", dimension=dim(framework, 4))

    planner.post(
        reverse("kpis:kpi_create", args=[framework.pk]),
        {**kpi_data, "code": "14.1", "dimension": "", "composite_parent": composite.pk},
    )

    part = framework.kpis.get(code="14.1")
    assert (part.composite_parent, part.dimension) == (composite, dim(framework, 4))


def test_kpi_create_without_dimension_nor_composite_asks_for_the_dimension(
    framework, planner, kpi_data
):
    response = planner.post(
        reverse("kpis:kpi_create", args=[framework.pk]), {**kpi_data, "dimension": ""}
    )

    assert response.context["form"].errors == {"dimension": ["Choose the dimension of this KPI."]}


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("weight", "abc", "Enter a number."),
        ("weight", "-1", "Ensure this value is greater than or equal to 0."),
        ("weight", "101", "Ensure this value is less than or equal to 100."),
        (
            "name_th",
            "<script>alert(1)</script>",
            "Please remove the HTML tags or entities from this text.",
        ),
        ("name_en", "Share &amp; units", "Please remove the HTML tags or entities from this text."),
        ("code", "1..2", "Use a hierarchical code of numbers and dots, e.g. 1.1.3 or 14.1."),
    ],
)
def test_kpi_create_bad_input_is_shown_at_the_field_and_the_typed_values_stay(
    framework, planner, kpi_data, field, typed, error
):
    response = planner.post(
        reverse("kpis:kpi_create", args=[framework.pk]), {**kpi_data, field: typed}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [error]}
    form = response.context["form"]
    for name in ("code", "name_th", "name_en", "unit_th", "weight"):
        assert form[name].value() == (typed if name == field else kpi_data[name])
    assertContains(
        response, 'value="ร้อยละของหน่วยงาน"' if field != "name_th" else 'value="Share of units"'
    )
    assert not KPI.objects.exists()


def test_kpi_create_duplicate_code_is_shown_at_the_code(framework, planner, kpi_data):
    KPIFactory(framework=framework, code="1.2")

    response = planner.post(reverse("kpis:kpi_create", args=[framework.pk]), kpi_data)

    assert response.context["form"].errors == {
        "code": ["The code 1.2 is already used in this framework."]
    }
    assertContains(response, 'value="Share of units"')
    assertContains(response, 'value="2.5"')


def test_kpi_create_refuses_a_cascaded_from_kpi_of_the_wrong_level(
    tree, year, framework, planner, kpi_data
):
    same_level = KPIFactory(framework=framework, code="9")

    response = planner.post(
        reverse("kpis:kpi_create", args=[framework.pk]), {**kpi_data, "parent_kpi": same_level.pk}
    )

    assert response.context["form"].errors == {
        "parent_kpi": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assertContains(response, 'value="Share of units"')
    assert framework.kpis.count() == 1


def test_kpi_create_refuses_a_sub_kpi_in_another_dimension_at_the_dimension(
    framework, planner, kpi_data
):
    composite = KPIFactory(framework=framework, code="14", dimension=dim(framework, 4))

    response = planner.post(
        reverse("kpis:kpi_create", args=[framework.pk]),
        {**kpi_data, "composite_parent": composite.pk},
    )

    assert response.context["form"].errors == {
        "dimension": ["A sub-KPI sits in the dimension of its composite KPI."]
    }


def test_kpi_create_on_a_published_framework_is_403_with_the_reason(
    framework, planning_officer, planner
):
    publish(framework, planning_officer)

    response = planner.get(reverse("kpis:kpi_create", args=[framework.pk]))

    assertContains(response, "is published, so its KPIs and weights cannot change", status_code=403)
    assertContains(response, f'href="{framework.get_absolute_url()}"', status_code=403)


def test_kpi_create_preselects_the_dimension_of_the_button(framework, planner):
    response = planner.get(
        reverse("kpis:kpi_create", args=[framework.pk]), {"dimension": dim(framework, 3).pk}
    )

    assert response.context["form"]["dimension"].value() == str(dim(framework, 3).pk)


def test_kpi_edit_shows_the_weight_without_trailing_zeros_and_saves(
    tree, framework, planner, kpi_data
):
    kpi = KPIFactory(framework=framework, code="1.2", weight=D("2.5"), owner=tree.planning_unit)
    kpi.supporting_units.set([tree.secretary_office])
    url = reverse("kpis:kpi_edit", args=[kpi.pk])

    page = planner.get(url)
    response = planner.post(url, {**kpi_data, "weight": "3", "name_en": "Renamed", "order": "5"})

    assertContains(page, 'name="weight" value="2.5"')
    assert re.search(
        rf'value="{tree.secretary_office.pk}"\s+id="id_supporting_units_\d" checked',
        page.content.decode(),
    )
    assert response.url == kpi.get_absolute_url()
    kpi.refresh_from_db()
    assert (kpi.weight, kpi.name_en, kpi.order) == (D("3"), "Renamed", 5)


def test_kpi_edit_does_not_offer_the_kpi_as_its_own_composite(framework, planner):
    kpi = KPIFactory(framework=framework, code="14")
    other = KPIFactory(framework=framework, code="13")

    response = planner.get(reverse("kpis:kpi_edit", args=[kpi.pk]))

    assert list(response.context["form"].fields["composite_parent"].queryset) == [other]


def test_kpi_edit_of_a_published_framework_is_403_with_the_reason(
    framework, planning_officer, planner
):
    publish(framework, planning_officer)
    kpi = framework.kpis.get(code="1")

    response = planner.post(reverse("kpis:kpi_edit", args=[kpi.pk]), {"code": "9"})

    assertContains(response, "The framework is published", status_code=403)
    kpi.refresh_from_db()
    assert kpi.code == "1"


def test_kpi_edit_is_refused_to_the_kpi_owner(tree, framework, client):
    kpi = KPIFactory(framework=framework, owner=tree.planning_unit)
    client.force_login(make_person(tree.planning_unit, Role.KPI_OWNER))

    response = client.get(reverse("kpis:kpi_edit", args=[kpi.pk]))

    assert response.status_code == 403
    assertNotContains(response, "The framework is published", status_code=403)


# --- KPIDetail / KPIDelete ------------------------------------------------------------------------


def test_kpi_detail_shows_its_fields_parts_cascade_and_revisions(
    client, tree, year, full_framework, planning_officer
):
    composite = full_framework.kpis.get(code="14")
    first = full_framework.kpis.get(code="1")
    unit_kpi = KPIFactory(
        framework=FrameworkFactory(fiscal_year=year, organisation=tree.planning_unit),
        code="3",
        name_th="ตัวชี้วัดของกอง",
        parent_kpi=first,
    )
    template = first.templates.get()
    KPITemplate.objects.filter(pk=template.pk).update(
        state=TemplateState.APPROVED,
        updated_at=datetime(2008, 11, 3, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok")),
    )
    KPITemplate.objects.create(kpi=first, revision=2)
    client.force_login(planning_officer)

    response = client.get(first.get_absolute_url())  # Thai: the dates in the Buddhist era
    parts = client.get(composite.get_absolute_url())

    page = text_of(response.content)
    assert "ร้อยละของความสำเร็จ Success rate" in page
    assert "3 พ.ย. 2551" in row_text(response, "revision-1")
    assert [t.revision for t in response.context["revisions"]] == [2, 1]
    assertContains(response, f'href="{reverse("kpis:template_detail", args=[template.pk])}"')
    assert response.context["cascaded_kpis"] == [unit_kpi]
    assertContains(response, "ตัวชี้วัดของกอง")
    assertContains(response, "42.5")
    assertNotContains(response, "42.5000")
    assert [k.code for k in parts.context["sub_kpis"]] == ["14.1"]
    assertContains(parts, "2.5")


def test_kpi_detail_for_the_kpi_owner_has_no_edit_buttons(client, tree, framework):
    kpi = KPIFactory(framework=framework, owner=tree.planning_unit)
    client.force_login(make_person(tree.planning_unit, Role.KPI_OWNER))

    response = client.get(kpi.get_absolute_url())

    assert response.status_code == 200
    assertNotContains(response, reverse("kpis:kpi_edit", args=[kpi.pk]))
    assertNotContains(response, "data-confirm")


def test_kpi_delete_removes_it_and_returns_to_the_framework(framework, planner):
    kpi = KPIFactory(framework=framework, code="7")

    response = planner.post(reverse("kpis:kpi_delete", args=[kpi.pk]), follow=True)

    assert response.redirect_chain == [(framework.get_absolute_url(), 302)]
    assert messages_of(response) == ["The KPI 7 has been deleted."]
    assert not KPI.objects.filter(pk=kpi.pk).exists()


def test_kpi_delete_of_a_kpi_with_cascaded_kpis_is_refused_with_a_message(
    tree, year, framework, department_admin, client
):
    kpi = KPIFactory(framework=framework, code="1")
    KPIFactory(
        framework=FrameworkFactory(fiscal_year=year, organisation=tree.planning_unit),
        parent_kpi=kpi,
    )
    client.force_login(department_admin)

    response = in_english(client).post(reverse("kpis:kpi_delete", args=[kpi.pk]), follow=True)

    assert messages_of(response) == [
        "KPIs of the level below are cascaded from 1; unlink them first."
    ]
    assert KPI.objects.filter(pk=kpi.pk).exists()


def test_kpi_delete_is_post_only_and_confirmed(framework, planner):
    kpi = KPIFactory(framework=framework, code="7")

    assert planner.get(reverse("kpis:kpi_delete", args=[kpi.pk])).status_code == 405
    assertContains(
        planner.get(kpi.get_absolute_url()), 'data-confirm="Delete KPI 7 and its template?"'
    )


def test_kpi_delete_on_a_published_framework_is_403(framework, planning_officer, planner):
    publish(framework, planning_officer)
    kpi = framework.kpis.get(code="1")

    response = planner.post(reverse("kpis:kpi_delete", args=[kpi.pk]))

    assert response.status_code == 403
    assert KPI.objects.filter(pk=kpi.pk).exists()


def test_pages_out_of_scope_are_404(client, framework, other_admin):
    kpi = KPIFactory(framework=framework)
    client.force_login(other_admin)

    assert client.get(framework.get_absolute_url()).status_code == 404
    assert client.get(kpi.get_absolute_url()).status_code == 404
    assert client.post(reverse("kpis:kpi_delete", args=[kpi.pk])).status_code == 404
    assert KPI.objects.filter(pk=kpi.pk).exists()
