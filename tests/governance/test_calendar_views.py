"""Fiscal-year, reporting-round and calendar pages: the ladder, the calendar's content, the forms."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from pytest_django.asserts import assertContains, assertNotContains

from governance.enums import CommitteeKind, MilestoneState
from governance.models import FiscalYear, Milestone, MilestoneTransition, ReportingRound
from tests.factories import CommitteeFactory, FiscalYearFactory, MilestoneFactory


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def thai(text: str) -> str:
    with override("th"):
        return gettext(text)


@pytest.fixture
def year(tree):
    return FiscalYearFactory(year=2552)


@pytest.fixture
def six_months(year):
    return year.rounds.get(months=6)


@pytest.fixture
def milestone(tree, year):
    return MilestoneFactory(
        fiscal_year=year,
        responsible=tree.department,
        name_th="ลงนามคำรับรองการปฏิบัติราชการ",
        name_en="Sign the performance agreements",
        starts_on=date(2008, 12, 1),
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The ladder ------------------------------------------------------------------------------------

PAGES = {
    # name: (url builder, method, unit heads may use it, out of the other ministry's scope)
    "list": (lambda y, r, m: reverse("governance:fiscal_year_list"), "get", True, False),
    "create": (lambda y, r, m: reverse("governance:fiscal_year_create"), "get", False, False),
    "detail": (
        lambda y, r, m: reverse("governance:fiscal_year_detail", args=[y.pk]),
        "get",
        True,
        False,
    ),
    "edit": (
        lambda y, r, m: reverse("governance:fiscal_year_edit", args=[y.pk]),
        "get",
        False,
        False,
    ),
    "round_edit": (
        lambda y, r, m: reverse("governance:reporting_round_edit", args=[r.pk]),
        "get",
        False,
        False,
    ),
    "milestone_create": (
        lambda y, r, m: reverse("governance:milestone_create", args=[y.pk]),
        "get",
        False,
        False,
    ),
    "milestone_edit": (
        lambda y, r, m: reverse("governance:milestone_edit", args=[m.pk]),
        "get",
        False,
        True,
    ),
    "milestone_delete": (
        lambda y, r, m: reverse("governance:milestone_delete", args=[m.pk]),
        "post",
        False,
        True,
    ),
    "milestone_act": (
        lambda y, r, m: reverse("governance:milestone_act", args=[m.pk, "start"]),
        "post",
        False,
        True,
    ),
}


def _request(client, page, year, six_months, milestone):
    url_for, method, _, _ = PAGES[page]
    return getattr(client, method)(url_for(year, six_months, milestone))


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, year, six_months, milestone, page):
    url = PAGES[page][0](year, six_months, milestone)
    response = getattr(client, PAGES[page][1])(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if spec[3]])
def test_an_admin_of_another_ministry_gets_404_on_a_milestone(
    client, year, six_months, milestone, other_admin, page
):
    client.force_login(other_admin)
    assert _request(client, page, year, six_months, milestone).status_code == 404
    milestone.refresh_from_db()
    assert milestone.state == MilestoneState.PLANNED


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if not spec[2]])
def test_a_unit_head_gets_403_on_manage_pages(client, year, six_months, milestone, unit_head, page):
    client.force_login(unit_head)
    assert _request(client, page, year, six_months, milestone).status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).state == MilestoneState.PLANNED


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if spec[2]])
def test_a_unit_head_reads_the_years_and_the_calendar(
    client, year, six_months, milestone, unit_head, page
):
    client.force_login(unit_head)
    assert _request(client, page, year, six_months, milestone).status_code == 200


@pytest.mark.parametrize("page", ["create", "edit", "round_edit"])
def test_planning_staff_do_not_keep_the_fiscal_years(
    client, year, six_months, milestone, planning_officer, page
):
    client.force_login(planning_officer)
    assert _request(client, page, year, six_months, milestone).status_code == 403


@pytest.mark.parametrize("page", ["list", "detail", "milestone_create", "milestone_edit"])
def test_planning_staff_keep_the_calendar(
    client, year, six_months, milestone, planning_officer, page
):
    client.force_login(planning_officer)
    assert _request(client, page, year, six_months, milestone).status_code == 200


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if spec[1] == "get"])
def test_the_department_admin_opens_every_page(
    client, year, six_months, milestone, department_admin, page
):
    client.force_login(department_admin)
    assert _request(client, page, year, six_months, milestone).status_code == 200


def test_fiscal_years_are_government_wide_but_milestones_are_not(
    client, year, milestone, other_admin
):
    client.force_login(other_admin)
    response = client.get(year.get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, milestone.name_th)
    assert client.get(reverse("governance:fiscal_year_edit", args=[year.pk])).status_code == 200


# --- The list of years -----------------------------------------------------------------------------


def test_list_shows_every_year_with_its_rounds_in_the_buddhist_era(client, tree, unit_head):
    FiscalYearFactory(year=2552)
    FiscalYearFactory(year=2553)
    client.force_login(unit_head)

    response = client.get(reverse("governance:fiscal_year_list"))

    content = response.content.decode()
    assert content.index("ปีงบประมาณ พ.ศ.\u00a02553") < content.index("ปีงบประมาณ พ.ศ.\u00a02552")
    assertContains(response, "1 ต.ค. 2551 – 30 ก.ย. 2552")
    assertContains(
        response,
        '<td><time datetime="2009-03-31">31 มี.ค. 2552</time></td>'
        '<td><time datetime="2009-04-15">15 เม.ย. 2552</time></td>',
        html=True,
    )
    assertContains(response, '<time datetime="2010-09-30">30 ก.ย. 2553</time>', html=True)
    assertNotContains(response, reverse("governance:fiscal_year_create"))


def test_list_marks_site_visits_and_offers_admins_to_open_a_year(client, year, department_admin):
    client.force_login(department_admin)
    response = in_english(client).get(reverse("governance:fiscal_year_list"))
    # Site visits at 6 and 12 months, not at 9.
    assert response.content.decode().count('<span class="visually-hidden">yes</span>') == 2
    assert response.content.decode().count('<span class="visually-hidden">no</span>') == 1
    assertContains(response, f'href="{reverse("governance:fiscal_year_create")}"')
    assertContains(response, "FY 2552")


# --- The year and its calendar ---------------------------------------------------------------------


def test_detail_shows_the_years_bounds_and_rounds(client, year, unit_head):
    client.force_login(unit_head)
    response = client.get(year.get_absolute_url())
    assertContains(response, '<p class="lead mb-0">1 ต.ค. 2551 – 30 ก.ย. 2552</p>', html=True)
    assertContains(response, '<time datetime="2009-07-15">15 ก.ค. 2552</time>', html=True)
    assertNotContains(
        response, reverse("governance:reporting_round_edit", args=[year.rounds.first().pk])
    )


def test_detail_links_each_round_to_its_edit_page_for_admins(client, year, department_admin):
    client.force_login(department_admin)
    response = client.get(year.get_absolute_url())
    for reporting_round in year.rounds.all():
        assertContains(
            response, reverse("governance:reporting_round_edit", args=[reporting_round.pk])
        )
    assertContains(response, reverse("governance:fiscal_year_edit", args=[year.pk]))


def test_calendar_lists_visible_milestones_by_date_with_their_responsible_body(
    client, tree, year, milestone, planning_officer
):
    committee = CommitteeFactory(
        organisation=tree.department, kind=CommitteeKind.NEGOTIATION, name_th="คณะกรรมการเจรจา"
    )
    negotiation = MilestoneFactory(
        fiscal_year=year,
        responsible=tree.planning_unit,
        responsible_committee=committee,
        name_th="เจรจาตัวชี้วัด",
        starts_on=date(2008, 11, 17),
        ends_on=date(2008, 11, 28),
    )
    hidden = MilestoneFactory(
        fiscal_year=year, responsible=tree.other_department, name_th="ของกระทรวงการคลัง"
    )
    other_year = MilestoneFactory(
        fiscal_year=FiscalYearFactory(year=2553), responsible=tree.department, name_th="ปีหน้า"
    )
    client.force_login(planning_officer)

    response = client.get(year.get_absolute_url())

    assert [e.milestone for e in response.context["entries"]] == [negotiation, milestone]
    assertNotContains(response, hidden.name_th)
    assertNotContains(response, other_year.name_th)
    assertContains(
        response,
        '<time datetime="2008-11-17">17 พ.ย. 2551</time> – <time datetime="2008-11-28">28 พ.ย. 2551</time>',
    )
    assertContains(
        response, f'<a href="{tree.planning_unit.get_absolute_url()}">กผ.</a>', html=True
    )
    assertContains(
        response, f'<a href="{committee.get_absolute_url()}">คณะกรรมการเจรจา</a>', html=True
    )
    with override("th"):
        planned = str(MilestoneState.PLANNED.label)
    assertContains(
        response,
        f'<span class="badge state-badge state-planned">{planned}</span>',
        html=True,
        count=2,
    )


def test_calendar_marks_open_milestones_past_their_date_as_overdue(
    client, tree, year, department_admin
):
    today = timezone.localdate()
    late = MilestoneFactory(
        fiscal_year=year, responsible=tree.department, starts_on=today - timedelta(days=1)
    )
    MilestoneFactory(
        fiscal_year=year,
        responsible=tree.department,
        starts_on=today - timedelta(days=5),
        ends_on=today,
    )
    done = MilestoneFactory(
        fiscal_year=year, responsible=tree.department, starts_on=today - timedelta(days=3)
    )
    Milestone.objects.filter(pk=done.pk).update(state=MilestoneState.DONE)
    client.force_login(department_admin)

    response = in_english(client).get(year.get_absolute_url())

    overdue = [e.milestone for e in response.context["entries"] if e.is_overdue]
    assert overdue == [late]
    assertContains(
        response, '<i class="bi bi-exclamation-triangle" aria-hidden="true"></i> Overdue', count=1
    )


def test_calendar_offers_the_workflow_buttons_to_planning_staff(
    client, year, milestone, planning_officer
):
    client.force_login(planning_officer)
    response = in_english(client).get(year.get_absolute_url())

    for action in ("start", "complete", "cancel"):
        assertContains(
            response, f'action="{reverse("governance:milestone_act", args=[milestone.pk, action])}"'
        )
    assertNotContains(response, reverse("governance:milestone_act", args=[milestone.pk, "reopen"]))
    # Cancelling needs a reason: a labelled, required comment field beside the button.
    assertContains(
        response,
        f'<label class="visually-hidden" for="comment-{milestone.pk}-cancel">Reason for “Cancel”</label>',
        html=True,
    )
    assertContains(
        response,
        f'<input type="text" class="form-control form-control-sm" name="comment" id="comment-{milestone.pk}-cancel" required maxlength="1000" placeholder="Reason">',
        html=True,
    )
    assertNotContains(response, f'id="comment-{milestone.pk}-start"')
    assertContains(response, reverse("governance:milestone_edit", args=[milestone.pk]))
    assertContains(
        response, 'data-confirm="Delete the milestone “Sign the performance agreements”?"'
    )


def test_calendar_offers_reopen_on_a_finished_milestone(client, year, milestone, planning_officer):
    Milestone.objects.filter(pk=milestone.pk).update(state=MilestoneState.DONE)
    client.force_login(planning_officer)
    response = client.get(year.get_absolute_url())
    assert [a.name for a in response.context["entries"][0].actions] == ["reopen"]


def test_calendar_shows_no_buttons_to_readers(client, year, milestone, unit_head):
    client.force_login(unit_head)
    response = client.get(year.get_absolute_url())
    assertContains(response, milestone.name_th)
    assertNotContains(response, reverse("governance:milestone_act", args=[milestone.pk, "start"]))
    assertNotContains(response, reverse("governance:milestone_edit", args=[milestone.pk]))
    assertNotContains(response, reverse("governance:milestone_create", args=[year.pk]))


def test_calendar_filters_by_state_and_responsible_organisation(
    client, tree, year, milestone, department_admin
):
    started = MilestoneFactory(fiscal_year=year, responsible=tree.planning_unit, name_th="เริ่มแล้ว")
    Milestone.objects.filter(pk=started.pk).update(state=MilestoneState.IN_PROGRESS)
    unit_planned = MilestoneFactory(
        fiscal_year=year, responsible=tree.planning_unit, name_th="ยังไม่เริ่ม"
    )
    client.force_login(department_admin)
    url = year.get_absolute_url()

    def shown(query):
        return [e.milestone for e in client.get(url, query).context["entries"]]

    assert shown({"state": "planned"}) == [milestone, unit_planned]
    assert shown({"responsible": tree.planning_unit.pk}) == [started, unit_planned]
    assert shown({"state": "in_progress", "responsible": tree.planning_unit.pk}) == [started]
    assert shown({"state": "done"}) == []
    # The filter offers only the organisations that have a milestone this year.
    offered = list(client.get(url).context["filter_form"].fields["responsible"].queryset)
    assert offered == [tree.department, tree.planning_unit]


def test_calendar_with_a_filter_that_matches_nothing_says_so(
    client, year, milestone, department_admin
):
    client.force_login(department_admin)
    response = in_english(client).get(year.get_absolute_url(), {"state": "cancelled"})
    assertContains(response, "No milestones match this filter.")
    assertContains(response, '<option value="cancelled" selected>Cancelled</option>', html=True)


def test_calendar_ignores_a_broken_filter_and_says_why(client, year, milestone, department_admin):
    client.force_login(department_admin)
    response = in_english(client).get(year.get_absolute_url(), {"state": "lost"})
    assert [e.milestone for e in response.context["entries"]] == [milestone]
    assertContains(response, "Select a valid choice. lost is not one of the available choices.")


def test_calendar_query_count_does_not_grow_with_the_milestones(
    client, tree, year, department_admin, django_assert_max_num_queries
):
    committee = CommitteeFactory(organisation=tree.department)

    def add(count):
        for index in range(count):
            MilestoneFactory(
                fiscal_year=year,
                responsible=tree.planning_unit if index % 2 else tree.department,
                responsible_committee=committee,
                starts_on=date(2008, 10, 1) + timedelta(days=index),
            )

    client.force_login(department_admin)
    add(2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(year.get_absolute_url(), {"state": "planned"}).status_code == 200

    add(10)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(year.get_absolute_url(), {"state": "planned"})
    assert len(response.context["entries"]) == 12


# --- Acting on a milestone -------------------------------------------------------------------------


def _act(client, milestone, action, **data):
    return in_english(client).post(
        reverse("governance:milestone_act", args=[milestone.pk, action]), data, follow=True
    )


def test_act_moves_the_milestone_and_comes_back_to_the_calendar(
    client, milestone, planning_officer
):
    client.force_login(planning_officer)

    response = _act(client, milestone, "start")

    assert response.redirect_chain == [(milestone.get_absolute_url(), 302)]
    assert messages_of(response) == ["“Sign the performance agreements” is now “In progress”."]
    milestone.refresh_from_db()
    assert milestone.state == MilestoneState.IN_PROGRESS
    transition = MilestoneTransition.objects.get(milestone=milestone)
    assert (transition.action, transition.actor, transition.from_state) == (
        "start",
        planning_officer,
        "planned",
    )


def test_act_with_a_reason_records_it(client, milestone, department_admin):
    client.force_login(department_admin)
    _act(client, milestone, "cancel", comment="  ยกเลิกตามมติที่ประชุม  ")
    milestone.refresh_from_db()
    assert milestone.state == MilestoneState.CANCELLED
    assert MilestoneTransition.objects.get(milestone=milestone).comment == "  ยกเลิกตามมติที่ประชุม  "


def test_act_without_a_needed_reason_explains_and_changes_nothing(
    client, milestone, department_admin
):
    client.force_login(department_admin)
    response = _act(client, milestone, "cancel", comment=" ")
    assert messages_of(response) == ["Please give a reason."]
    milestone.refresh_from_db()
    assert milestone.state == MilestoneState.PLANNED


def test_act_from_a_wrong_state_explains_and_changes_nothing(client, milestone, department_admin):
    Milestone.objects.filter(pk=milestone.pk).update(state=MilestoneState.DONE)
    client.force_login(department_admin)
    response = _act(client, milestone, "start")
    assert response.status_code == 200
    assert messages_of(response) == ["“Start” is not possible while the state is “Done”."]
    assert not MilestoneTransition.objects.exists()


def test_act_with_an_unknown_action_explains_instead_of_failing(
    client, milestone, department_admin
):
    client.force_login(department_admin)
    response = _act(client, milestone, "approve")
    assert response.status_code == 200
    assert messages_of(response) == ["Unknown action “approve”."]


def test_act_is_post_only(client, milestone, department_admin):
    client.force_login(department_admin)
    assert (
        client.get(reverse("governance:milestone_act", args=[milestone.pk, "start"])).status_code
        == 405
    )
    milestone.refresh_from_db()
    assert milestone.state == MilestoneState.PLANNED


# --- Milestone forms -------------------------------------------------------------------------------

MILESTONE = {
    "name_th": "เจรจาข้อตกลงตัวชี้วัดระดับกรม",
    "name_en": "Negotiate the department's KPIs",
    "starts_on": "17/11/2551",
    "ends_on": "28/11/2551",
    "responsible_committee": "",
    "remind_days_before": "10",
    "notes": "ตามปฏิทินสไลด์ 37",
}


def test_milestone_create_adds_it_to_the_years_calendar(client, tree, year, planning_officer):
    committee = CommitteeFactory(organisation=tree.department)
    client.force_login(planning_officer)

    response = client.post(
        reverse("governance:milestone_create", args=[year.pk]),
        {**MILESTONE, "responsible": tree.planning_unit.pk, "responsible_committee": committee.pk},
    )

    created = Milestone.objects.get(name_th=MILESTONE["name_th"])
    assert response.status_code == 302
    assert response.url == f"{year.get_absolute_url()}#milestone-{created.pk}"
    assert (created.fiscal_year, created.responsible, created.responsible_committee) == (
        year,
        tree.planning_unit,
        committee,
    )
    assert (created.starts_on, created.ends_on, created.remind_days_before, created.state) == (
        date(2008, 11, 17),
        date(2008, 11, 28),
        10,
        MilestoneState.PLANNED,
    )


def test_milestone_create_offers_the_organisations_of_the_users_admin_and_planning_roles(
    client, tree, year, planning_officer
):
    client.force_login(planning_officer)
    response = client.get(reverse("governance:milestone_create", args=[year.pk]))
    assert list(response.context["form"].fields["responsible"].queryset) == [
        tree.department,
        tree.planning_unit,
        tree.secretary_office,
    ]
    assertContains(response, 'placeholder="' + thai("dd/mm/yyyy (B.E.)") + '"')


def test_milestone_create_with_an_impossible_date_keeps_what_was_typed(
    client, tree, year, planning_officer
):
    client.force_login(planning_officer)
    response = client.post(
        reverse("governance:milestone_create", args=[year.pk]),
        {**MILESTONE, "responsible": tree.planning_unit.pk, "starts_on": "31/02/2552"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_on": [thai("This day does not exist in that month.")]
    }
    assertContains(response, 'value="31/02/2552"')
    assertContains(response, 'value="28/11/2551"')
    assertContains(response, f'value="{MILESTONE["name_th"]}"')
    assertContains(response, "ตามปฏิทินสไลด์ 37</textarea>")
    assert not Milestone.objects.exists()


def test_milestone_create_refuses_an_end_before_the_start(client, tree, year, planning_officer):
    client.force_login(planning_officer)
    response = client.post(
        reverse("governance:milestone_create", args=[year.pk]),
        {**MILESTONE, "responsible": tree.planning_unit.pk, "ends_on": "16/11/2551"},
    )
    assert response.context["form"].errors == {
        "ends_on": [thai("The end date cannot come before the start date.")]
    }
    assert not Milestone.objects.exists()


def test_milestone_create_refuses_an_organisation_out_of_scope(
    client, tree, year, planning_officer
):
    client.force_login(planning_officer)
    response = in_english(client).post(
        reverse("governance:milestone_create", args=[year.pk]),
        {
            **MILESTONE,
            "starts_on": "17/11/2008",
            "ends_on": "",
            "responsible": tree.other_department.pk,
        },
    )
    assert response.context["form"].errors == {
        "responsible": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_milestone_edit_shows_and_saves_the_dates_in_the_buddhist_era(
    client, tree, milestone, planning_officer
):
    client.force_login(planning_officer)
    url = reverse("governance:milestone_edit", args=[milestone.pk])
    assertContains(client.get(url), 'value="01/12/2551"')

    response = client.post(url, {**MILESTONE, "responsible": tree.department.pk, "ends_on": ""})

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.name_th, milestone.starts_on, milestone.ends_on) == (
        MILESTONE["name_th"],
        date(2008, 11, 17),
        None,
    )


def test_milestone_delete_removes_it_and_returns_to_the_year(
    client, year, milestone, planning_officer
):
    client.force_login(planning_officer)
    response = in_english(client).post(
        reverse("governance:milestone_delete", args=[milestone.pk]), follow=True
    )
    assert response.redirect_chain == [(year.get_absolute_url(), 302)]
    assert messages_of(response) == ["The milestone has been deleted."]
    assert not Milestone.objects.exists()


# --- Fiscal-year and round forms -------------------------------------------------------------------


def test_fiscal_year_create_opens_the_year_with_its_rounds(client, department_admin):
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:fiscal_year_create"),
        {"year": "2553", "deadline_days": "30", "notes": ""},
    )
    created = FiscalYear.objects.get(year=2553)
    assert response.status_code == 302
    assert response.url == created.get_absolute_url()
    assert list(created.rounds.values_list("months", "sar_deadline")) == [
        (6, date(2010, 4, 30)),
        (9, date(2010, 7, 30)),
        (12, date(2010, 10, 30)),
    ]


def test_fiscal_year_create_suggests_fifteen_days(client, department_admin):
    client.force_login(department_admin)
    assertContains(client.get(reverse("governance:fiscal_year_create")), 'value="15"')


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2009", "Type the fiscal year in the Buddhist era, e.g. 2552."),
        ("2552", "Fiscal year 2552 already exists."),
    ],
)
def test_fiscal_year_create_explains_a_wrong_year(client, year, department_admin, typed, message):
    client.force_login(department_admin)
    response = in_english(client).post(
        reverse("governance:fiscal_year_create"),
        {"year": typed, "deadline_days": "20", "notes": "บันทึก"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"year": [message]}
    assertContains(response, 'value="20"')
    assert FiscalYear.objects.count() == 1


def test_fiscal_year_edit_closes_the_year(client, year, department_admin):
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:fiscal_year_edit", args=[year.pk]),
        {"is_closed": "on", "notes": "ปิดปีแล้ว"},
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.is_closed, year.notes) == (True, "ปิดปีแล้ว")


def test_round_edit_shows_and_saves_dates_in_the_buddhist_era(
    client, year, six_months, department_admin
):
    client.force_login(department_admin)
    url = reverse("governance:reporting_round_edit", args=[six_months.pk])
    page = client.get(url)
    assertContains(page, 'value="31/03/2552"')
    assertContains(page, 'value="15/04/2552"')

    response = client.post(url, {"period_end": "31/3/2552", "sar_deadline": "30 เม.ย. 2552"})

    assert response.status_code == 302
    assert response.url == year.get_absolute_url()
    six_months.refresh_from_db()
    assert (six_months.sar_deadline, six_months.has_site_visit) == (date(2009, 4, 30), False)


def test_round_edit_with_an_impossible_date_keeps_what_was_typed(
    client, six_months, department_admin
):
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:reporting_round_edit", args=[six_months.pk]),
        {"period_end": "31/02/2552", "sar_deadline": "15/04/2552", "has_site_visit": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "period_end": [thai("This day does not exist in that month.")]
    }
    assertContains(response, 'value="31/02/2552"')
    assertContains(response, 'value="15/04/2552"')


@pytest.mark.parametrize(
    ("period_end", "sar_deadline", "field", "message"),
    [
        ("30/9/2551", "15/10/2551", "period_end", "The period must end within the fiscal year."),
        (
            "31/3/2552",
            "30/3/2552",
            "sar_deadline",
            "The SAR deadline cannot come before the end of the period.",
        ),
    ],
)
def test_round_edit_explains_dates_the_service_refuses(
    client, six_months, department_admin, period_end, sar_deadline, field, message
):
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:reporting_round_edit", args=[six_months.pk]),
        {"period_end": period_end, "sar_deadline": sar_deadline},
    )
    assert response.context["form"].errors == {field: [thai(message)]}
    assert ReportingRound.objects.get(pk=six_months.pk).sar_deadline == date(2009, 4, 15)
