"""The SAR pages: the lists, one SAR with its buttons and KPIs, entering a result with its live
score, verification, participation, the home-page panel and the menu. Exact content on the happy
paths, typed input kept on errors, query counts that do not grow with the number of KPIs."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.enums import Participation, ResultStatus, SARState
from agreements.models import SAR, Evidence, KPIResult, SARScore
from governance import home_panels
from governance.buddhist_era import format_date
from governance.enums import OrganisationKind, Role
from governance.models import User
from tests.agreements.conftest import latest
from tests.agreements.sar_world import open_sars, set_deadlines
from tests.agreements.test_agreement_views import (
    element_html,
    element_text,
    messages_of,
    text_of,
)
from tests.conftest import make_person
from tests.factories import (
    AgreementFactory,
    AgreementKPIFactory,
    AgreementVersionFactory,
    FrameworkFactory,
    OrganisationFactory,
    SARFactory,
)

D = Decimal
CODES = ["1.1", "1.2", "2.1", "3.1", "4.1"]
# What the unit reports for each KPI of the conftest framework: (value, steps done).
ENTRIES = {
    "1.1": (D("67"), []),
    "1.2": (None, [True, True, True, False, False]),
    "2.1": (D("18"), []),
    "3.1": (D("70"), []),
    "4.1": (D("85"), [True, True]),
}


@dataclass
class People:
    collector: User  # data collector of the Department of Health
    head: User  # its unit head, who submits
    owner: User  # KPI owner of the department, which owns every KPI
    planner: User
    admin: User
    outsider: User


@pytest.fixture
def people(tree, cast) -> People:
    return People(
        collector=make_person(tree.department, Role.DATA_COLLECTOR, username="doh_collector"),
        head=make_person(tree.department, Role.UNIT_HEAD, username="doh_head"),
        owner=make_person(tree.department, Role.KPI_OWNER, username="doh_owner"),
        planner=cast.planner,
        admin=cast.admin,
        outsider=cast.outsider,
    )


@pytest.fixture
def sars(agreement, people) -> dict[int, SAR]:
    return open_sars(agreement)


@pytest.fixture
def sar(sars) -> SAR:
    return sars[6]


@pytest.fixture(autouse=True)
def _no_recompute(monkeypatch):
    # The recompute task is the scoring module's; these tests look at pages only.
    monkeypatch.setattr("agreements.services.scoring.enqueue_recompute", lambda agreement_id: None)


def result(sar: SAR, code: str) -> KPIResult:
    return KPIResult.objects.select_related("annex_kpi").get(sar=sar, annex_kpi__code=code)


def enter(sar: SAR, actor: User, code: str, **narrative) -> KPIResult:
    value, steps = ENTRIES.get(code, (D("67"), []))
    return services.kpi_result_update(
        actor=actor, result=result(sar, code), value=value, steps_done=list(steps), **narrative
    )


def fill(sar: SAR, actor: User) -> None:
    for code in sar.results.values_list("annex_kpi__code", flat=True):
        enter(sar, actor, code)


def submit(sar: SAR, people: People) -> SAR:
    fill(sar, people.collector)
    return services.sar_act(actor=people.head, sar=sar, action="submit")


def en(day) -> str:
    return format_date(day, "medium", "en")


def url(name: str, pk: int, *args) -> str:
    return reverse(f"agreements:{name}", args=[pk, *args])


# --- SARList ---------------------------------------------------------------------------------------


def test_list_shows_each_visible_sar_with_round_deadline_state_and_totals(
    client, sars, people, english
):
    SARScore.objects.create(
        sar=sars[6],
        self_total=D("3.4000"),
        verified_total=D("3.2500"),
        is_official=False,
        inputs_revision=sars[6].inputs_revision,
        inputs_sha256="0" * 64,
    )
    client.force_login(people.head)
    response = client.get(reverse("agreements:sar_list"))
    assert response.status_code == 200
    deadline = en(sars[6].deadline)
    assert element_text(response, f"sar-{sars[6].pk}") == (
        f"Department of Health (อน.) FY 2552 6 months {deadline} Open for entry "
        "3.4000 3.2500 not yet approved"
    )
    assert element_text(response, f"sar-{sars[9].pk}") == (
        f"Department of Health (อน.) FY 2552 9 months {en(sars[9].deadline)} Open for entry — —"
    )
    assert [line.sar.round.months for line in response.context["lines"]] == [6, 9, 12]


def test_list_filters_by_round_and_state(client, sars, people):
    submit(sars[6], people)
    client.force_login(people.head)
    by_round = client.get(reverse("agreements:sar_list"), {"round": "9"})
    assert [line.sar.pk for line in by_round.context["lines"]] == [sars[9].pk]
    by_state = client.get(reverse("agreements:sar_list"), {"state": SARState.SUBMITTED})
    assert [line.sar.pk for line in by_state.context["lines"]] == [sars[6].pk]


def test_list_marks_a_late_sar_with_its_days_late(client, agreement, sars, people, english):
    set_deadlines(agreement, days_from_today=-3)
    client.force_login(people.head)
    response = client.get(reverse("agreements:sar_list"))
    assert 'class="table-danger"' in element_html(response, "sar-table")
    assert "3 days late" in element_text(response, f"sar-{sars[6].pk}")


def test_list_of_another_ministry_is_empty(client, sars, people, english):
    client.force_login(people.outsider)
    response = client.get(reverse("agreements:sar_list"))
    assert response.context["lines"] == []
    assert (
        "There is no self-assessment report that you can see yet. Reports open when an "
        "agreement is signed." in text_of(response.content)
    )


def unit_sars(tree, year) -> list[SAR]:
    """Three SARs (6, 9, 12 months) of a new unit's agreement, with scores."""
    unit = OrganisationFactory(parent=tree.department, kind=OrganisationKind.UNIT)
    version = AgreementVersionFactory(
        agreement=AgreementFactory(framework=FrameworkFactory(fiscal_year=year, organisation=unit)),
        number=1,
    )
    made = []
    for reporting_round in year.rounds.all():
        sar = SARFactory(version=version, round=reporting_round)
        SARScore.objects.create(sar=sar, self_total=D(3), inputs_revision=0, inputs_sha256="0" * 64)
        made.append(sar)
    return made


def test_list_reads_a_fixed_number_of_queries_however_many_sars(client, tree, year, sars, people):
    client.force_login(people.planner)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("agreements:sar_list"))
    unit_sars(tree, year)
    unit_sars(tree, year)
    with CaptureQueriesContext(connection) as nine:
        response = client.get(reverse("agreements:sar_list"))
    assert len(response.context["lines"]) == 9
    assert len(nine) == len(three)


# --- SAROverdue ------------------------------------------------------------------------------------


def test_overdue_lists_late_unsubmitted_sars_with_days_late_for_planning_staff(
    client, agreement, sars, people, english
):
    set_deadlines(agreement, days_from_today=-4)
    submitted = sars[9]
    SAR.objects.filter(pk=submitted.pk).update(state=SARState.SUBMITTED)
    SAR.objects.filter(pk=sars[12].pk).update(
        reopened_until=timezone.localdate() + timedelta(days=2)
    )
    sars = {months: SAR.objects.get(pk=sar.pk) for months, sar in sars.items()}
    client.force_login(people.planner)
    response = client.get(reverse("agreements:sar_overdue"))
    assert response.status_code == 200
    assert [line.sar.pk for line in response.context["lines"]] == [sars[6].pk]
    assert element_text(response, f"sar-{sars[6].pk}") == (
        f"Department of Health FY 2552 6 months {en(sars[6].deadline)} 4 Open for entry 0 / 5"
    )


def test_overdue_says_so_when_nothing_is_late(client, sars, people, english):
    client.force_login(people.admin)
    response = client.get(reverse("agreements:sar_overdue"))
    assert response.context["lines"] == []
    assert "No report is late." in text_of(response.content)


@pytest.mark.parametrize("who", ["head", "collector", "owner"])
def test_overdue_is_refused_to_those_who_neither_approve_nor_reopen(client, sars, people, who):
    client.force_login(getattr(people, who))
    assert client.get(reverse("agreements:sar_overdue")).status_code == 403


# --- SARDetail -------------------------------------------------------------------------------------


def test_detail_shows_the_header_the_kpis_by_dimension_and_the_submit_button(
    client, sar, people, english
):
    enter(sar, people.collector, "1.1", narrative_results="เด็กได้รับการคัดกรองครบ")
    client.force_login(people.head)
    response = client.get(url("sar_detail", sar.pk))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Self-assessment report, 6 months Department of Health · FY 2552" in text
    assert [a.name for a in response.context["actions"]] == ["submit"]
    assert url("sar_act", sar.pk, "submit") in response.content.decode()
    assert element_text(response, "sar-facts") == (
        "About this report Agreement Performance agreement of Department of Health signed "
        f"version 1 Period ends {format_date(sar.round.period_end, 'long', 'en')} Deadline "
        f"{format_date(sar.deadline, 'long', 'en')} Submitted Not yet Approved Not yet Progress "
        "1 of 5 results entered 0 of 5 verified by the KPI owners Totals Computed once the "
        "report is submitted."
    )
    row = element_text(response, f"result-{result(sar, '1.1').pk}")
    assert row == (
        "1.1 ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย KPI 1.1 Narrative Results "
        "เด็กได้รับการคัดกรองครบ 25 55 · 60 · 65 · 70 · 75 ↑ 67 percent 3.4000 "
        "— 0 Edit 1.1"
    )
    milestone = element_text(response, f"result-{result(sar, '1.2').pk}")
    assert milestone == (
        "1.2 ระดับความสำเร็จของการพัฒนาระบบเฝ้าระวังโภชนาการ KPI 1.2 20 5 steps not entered — "
        "— 0 Enter 1.2"
    )
    hybrid = element_text(response, f"result-{result(sar, '4.1').pk}")
    assert "2 steps, then 80 · 85 · 90 ↑" in hybrid
    assert [s.number for s in response.context["sections"]] == [1, 2, 3, 4]


def test_detail_shows_links_to_the_card_and_the_site_visits(client, sar, people, english):
    client.force_login(people.planner)
    response = client.get(url("sar_detail", sar.pk))
    html = response.content.decode()
    assert url("sar_card", sar.pk) in html
    assert url("sar_card_pdf", sar.pk) in html
    assert url("site_visit_create", sar.pk) in html
    # Planning staff set participation; they neither enter nor verify.
    line = response.context["sections"][0].lines[0]
    assert (line.can_enter, line.can_verify, line.can_participate) == (False, False, True)


def test_detail_for_an_admin_offers_reopen_with_a_reason_and_an_optional_date(
    client, sar, people, english
):
    client.force_login(people.admin)
    response = client.get(url("sar_detail", sar.pk))
    assert [a.name for a in response.context["actions"]] == ["reopen"]
    form = element_text(response, "act-reopen")
    assert form == (
        "Reason for reopening (recorded) Open for entry until (optional) "
        "Leave empty to reopen for 7 days from today. Reopen for entry"
    )


def test_detail_after_submission_shows_who_submitted_and_the_history(client, sar, people, english):
    submit(sar, people)
    client.force_login(people.owner)
    response = client.get(url("sar_detail", sar.pk))
    history = element_text(response, "sar-history")
    assert "Submit the report: Open for entry → Submitted" in history
    assert people.head.display_name in element_text(response, "sar-history")
    assert [a.name for a in response.context["actions"]] == ["return_to_unit"]
    # The KPI owner verifies each KPI from here.
    assert url("result_verify", result(sar, "1.1").pk) in response.content.decode()


def test_detail_shows_a_verified_adjustment_beside_the_entered_result(client, sar, people, english):
    submit(sar, people)
    services.kpi_result_verify(
        actor=people.owner,
        result=result(sar, "1.1"),
        decision="adjust",
        value=D("62"),
        comment="ข้อมูลไตรมาส 2 ยังไม่ครบ",
    )
    client.force_login(people.head)
    response = client.get(url("sar_detail", sar.pk))
    row = element_text(response, f"result-{result(sar, '1.1').pk}")
    assert "67 percent 3.4000 Adjusted by the KPI owner to 62 percent · 2.4000" in row
    assert "“ข้อมูลไตรมาส 2 ยังไม่ครบ”" in row


def test_detail_of_another_ministry_is_not_found(client, sar, people):
    client.force_login(people.outsider)
    assert client.get(url("sar_detail", sar.pk)).status_code == 404


def sar_of_size(agreement, people, count: int) -> SAR:
    """A submitted SAR of `count` KPIs (the 5 of the framework and more outcome rows), every
    result entered with an evidence file, one verified."""
    version = latest(agreement)
    for index in range(count - len(CODES)):
        AgreementKPIFactory(
            version=version,
            code=f"5.{index + 1}",
            dimension_number=5,
            dimension_name_th="มิติด้านการพัฒนาองค์การ",
            dimension_weight=10,
            weight=1,
        )
    sar = open_sars(agreement)[6]
    submit(sar, people)
    for row in sar.results.all():
        Evidence.objects.create(
            result=row,
            file=f"evidence/{agreement.pk}/x{row.pk}.pdf",
            original_name="รายงาน.pdf",
            extension="pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=people.collector,
        )
    services.kpi_result_verify(actor=people.owner, result=result(sar, "1.1"), decision="accept")
    return sar


# The session, the user, their roles, the SAR (score and people joined), its results for the
# KPI-owner rule, its results with their annex rows, their evidence, the history, the site visits.
DETAIL_QUERIES = 9


@pytest.mark.parametrize("count", [5, 25])
def test_detail_reads_the_same_number_of_queries_for_5_and_25_kpis(
    client, agreement, people, count, django_assert_num_queries
):
    sar = sar_of_size(agreement, people, count)
    client.force_login(people.admin)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url("sar_detail", sar.pk))
    assert sum(len(s.lines) for s in response.context["sections"]) == count


# --- SARAct ----------------------------------------------------------------------------------------


def test_submit_moves_the_sar_and_says_so(client, sar, people, english):
    fill(sar, people.collector)
    client.force_login(people.head)
    response = client.post(url("sar_act", sar.pk, "submit"))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.state == SARState.SUBMITTED
    assert messages_of(client.get(response.url)) == [
        "“Submit the report” is done: the report is now “Submitted”."
    ]


def test_submit_of_an_incomplete_sar_is_refused_with_the_service_message(
    client, sar, people, english
):
    client.force_login(people.head)
    response = client.post(url("sar_act", sar.pk, "submit"), follow=True)
    sar.refresh_from_db()
    assert sar.state == SARState.OPEN
    assert messages_of(response) == [
        "Enter the results of KPI 1.1, 1.2, 2.1, 3.1, 4.1 before submitting the report."
    ]


def test_reopen_without_a_reason_shows_the_sar_again_with_the_form_open(
    client, sar, people, english
):
    client.force_login(people.admin)
    response = client.post(
        url("sar_act", sar.pk, "reopen"), {"comment": "  ", "reopened_until": "31/12/2099"}
    )
    assert response.status_code == 200
    assert response.context["act_name"] == "reopen"
    form = element_html(response, "act-reopen")
    assert "Please give a reason." in text_of(form)
    assert 'value="31/12/2099"' in form
    assert '<details class="sar-action" open>' in response.content.decode()


def test_reopen_with_a_date_in_the_past_keeps_what_was_typed(client, sar, people, english):
    client.force_login(people.admin)
    response = client.post(
        url("sar_act", sar.pk, "reopen"), {"comment": "ผ่อนผัน", "reopened_until": "01/01/2009"}
    )
    assert response.status_code == 200
    assert "The report cannot be reopened until a date that has passed (1 January 2009)." in (
        element_text(response, "act-reopen")
    )
    assert "ผ่อนผัน" in element_html(response, "act-reopen")


def test_reopen_records_the_reason_and_the_date_in_buddhist_era(client, sar, people):
    client.force_login(people.admin)
    until = timezone.localdate() + timedelta(days=10)
    typed = f"{until.day:02d}/{until.month:02d}/{until.year + 543}"
    response = client.post(
        url("sar_act", sar.pk, "reopen"), {"comment": "ขยายเวลา", "reopened_until": typed}
    )
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.reopened_until == until
    assert sar.transitions.get().comment == "ขยายเวลา"


def test_an_action_the_person_may_not_take_is_forbidden(client, sar, people):
    client.force_login(people.collector)
    assert client.post(url("sar_act", sar.pk, "submit")).status_code == 403


def test_an_action_without_a_button_is_refused_with_a_message(client, sar, people, english):
    client.force_login(people.admin)
    response = client.post(url("sar_act", sar.pk, "complete_verification"), follow=True)
    assert messages_of(response) == ["“complete_verification” is not an action you can take here."]


def test_act_is_post_only(client, sar, people):
    client.force_login(people.admin)
    assert client.get(url("sar_act", sar.pk, "reopen")).status_code == 405


# --- ResultEdit ------------------------------------------------------------------------------------


def test_entry_form_of_an_outcome_kpi_has_a_number_the_narrative_and_the_live_score(
    client, sar, people, english
):
    row = result(sar, "1.1")
    client.force_login(people.collector)
    response = client.get(url("result_edit", row.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == [
        "narrative_results",
        "narrative_factors",
        "narrative_obstacles",
        "narrative_suggestions",
        "value",
    ]
    html = response.content.decode()
    inputs = element_html(response, "score-inputs")
    assert f'hx-post="{url("result_preview", row.pk)}"' in html
    assert 'hx-trigger="input changed delay:300ms, change"' in html
    assert 'name="value"' in inputs
    assert "narrative" not in inputs
    assert element_text(response, "score-preview") == "Type the result to see its score."
    assert "Level Criterion 1 55 2 60 3 target 65 4 70 5 75" in text_of(html)
    # The evidence helper's list and upload form are included.
    evidence = element_html(response, "evidence")
    assert "No evidence files yet." in text_of(evidence)
    assert f'id="evidence-form-{row.pk}"' in evidence


def test_entry_form_shows_what_is_stored(client, sar, people, english):
    enter(sar, people.collector, "4.1", narrative_factors="ผู้บริหารให้ความสำคัญ")
    client.force_login(people.collector)
    response = client.get(url("result_edit", result(sar, "4.1").pk))
    form = response.context["form"]
    assert [form[name].value() for name in ("value", "step_1", "step_2")] == ["85", True, True]
    html = response.content.decode()
    assert 'value="85"' in html
    assert "ผู้บริหารให้ความสำคัญ</textarea>" in html
    assert element_text(response, "score-preview") == (
        "4.0000 Level reached: 4 4 + (85 − 85) / (90 − 85) = 4.0000"
    )


def test_entry_form_of_a_milestone_kpi_has_a_checkbox_per_step_and_no_number(
    client, sar, people, english
):
    client.force_login(people.collector)
    response = client.get(url("result_edit", result(sar, "1.2").pk))
    form = response.context["form"]
    assert "value" not in form.fields
    assert [str(form.fields[f"step_{n}"].label) for n in range(1, 6)] == [
        "Step 1: จัดทำแผนการพัฒนาระบบ",
        "Step 2: อบรมเจ้าหน้าที่",
        "Step 3: ทดลองใช้ระบบในพื้นที่นำร่อง",
        "Step 4: ขยายผลทั่วประเทศ",
        "Step 5: ประเมินผลและรายงาน",
    ]


def test_entry_form_of_a_hybrid_kpi_has_its_steps_and_a_number(client, sar, people):
    client.force_login(people.collector)
    response = client.get(url("result_edit", result(sar, "4.1").pk))
    assert {"value", "step_1", "step_2"} <= set(response.context["form"].fields)
    assert "step_3" not in response.context["form"].fields


def test_saving_a_result_stores_it_and_shows_its_score(client, sar, people, english):
    row = result(sar, "1.1")
    client.force_login(people.collector)
    response = client.post(
        url("result_edit", row.pk),
        {"value": "67", "narrative_results": "คัดกรองครบทุกจังหวัด", "narrative_factors": ""},
    )
    assert response.status_code == 302
    assert response.url == url("result_edit", row.pk)
    row.refresh_from_db()
    assert (row.result, row.narrative_results, row.entered_by) == (
        D("67"),
        "คัดกรองครบทุกจังหวัด",
        people.collector,
    )
    page = client.get(response.url)
    assert messages_of(page) == ["The result has been saved."]
    assert element_text(page, "score-preview") == (
        "3.4000 Level reached: 3 3 + (67 − 65) / (70 − 65) = 3.4000"
    )


def test_a_refused_entry_shows_the_service_message_and_keeps_what_was_typed(
    client, agreement, sar, people, english
):
    set_deadlines(agreement, days_from_today=-1)
    row = result(sar, "1.1")
    client.force_login(people.collector)
    response = client.post(
        url("result_edit", row.pk), {"value": "67", "narrative_obstacles": "งบประมาณล่าช้า"}
    )
    assert response.status_code == 200
    deadline = format_date(timezone.localdate() - timedelta(days=1), "long", "en")
    text = text_of(response.content)
    assert (
        f"The deadline for this report was {deadline}, so results can no longer be entered. "
        "An administrator can reopen the report." in text
    )
    html = response.content.decode()
    assert 'value="67"' in html
    assert "งบประมาณล่าช้า" in html
    # The score beside the refused form is the score of what was typed.
    assert "3.4000" in element_text(response, "score-preview")


def test_a_number_that_is_not_one_is_a_field_error(client, sar, people, english):
    client.force_login(people.collector)
    response = client.post(url("result_edit", result(sar, "1.1").pk), {"value": "หกสิบ"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"value": ["Type a number, such as 1,234.5."]}


def test_after_submission_the_result_is_shown_locked(client, sar, people, english):
    submit(sar, people)
    client.force_login(people.collector)
    response = client.get(url("result_edit", result(sar, "1.2").pk))
    text = text_of(response.content)
    assert "The report has been submitted: its results are locked for the unit." in text
    assert 'id="result-form"' not in response.content.decode()
    assert (
        "Steps done done: Step 1: จัดทำแผนการพัฒนาระบบ done: Step 2: อบรมเจ้าหน้าที่ "
        "done: Step 3: ทดลองใช้ระบบในพื้นที่นำร่อง not done: Step 4: ขยายผลทั่วประเทศ "
        "not done: Step 5: ประเมินผลและรายงาน" in text
    )


def test_entry_page_links_to_the_kpis_before_and_after(client, sar, people):
    client.force_login(people.collector)
    response = client.get(url("result_edit", result(sar, "1.2").pk))
    before, after = response.context["neighbours"]
    assert (before.annex_kpi.code, after.annex_kpi.code) == ("1.1", "2.1")


# --- ResultPreview ---------------------------------------------------------------------------------


def test_preview_scores_what_is_typed_with_its_working(client, sar, people, english):
    client.force_login(people.collector)
    response = client.post(url("result_preview", result(sar, "1.1").pk), {"value": "67"})
    assert response.status_code == 200
    assert text_of(response.content) == (
        "3.4000 Level reached: 3 3 + (67 − 65) / (70 − 65) = 3.4000"
    )
    # Nothing is saved.
    assert result(sar, "1.1").result is None


def test_preview_of_steps_names_the_level_reached(client, sar, people, english):
    client.force_login(people.collector)
    response = client.post(
        url("result_preview", result(sar, "1.2").pk),
        {"step_1": "on", "step_2": "on", "step_3": "on"},
    )
    assert text_of(response.content) == (
        "3.0000 Level reached: 3 Steps 1 to 3 are done: level 3, score 3.0000."
    )


def test_preview_of_a_hybrid_with_every_step_asks_for_the_result(client, sar, people, english):
    client.force_login(people.collector)
    response = client.post(
        url("result_preview", result(sar, "4.1").pk), {"step_1": "on", "step_2": "on"}
    )
    assert text_of(response.content) == (
        "Type the result: all 2 steps are done, so the outcome counts."
    )


def test_preview_of_garbage_says_what_to_type(client, sar, people, english):
    client.force_login(people.collector)
    response = client.post(url("result_preview", result(sar, "1.1").pk), {"value": "abc"})
    assert text_of(response.content) == "Type a number, such as 1,234.5."


def test_preview_is_open_to_the_kpi_owner_for_an_adjustment(client, sar, people):
    client.force_login(people.owner)
    response = client.post(url("result_preview", result(sar, "1.1").pk), {"value": "70"})
    assert response.status_code == 200
    assert "4.0000" in text_of(response.content)


# --- ResultVerify ----------------------------------------------------------------------------------


def test_verify_page_shows_the_submitted_result_and_the_decision_form(client, sar, people, english):
    submit(sar, people)
    client.force_login(people.owner)
    response = client.get(url("result_verify", result(sar, "1.1").pk))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "As submitted by the unit Result 67 percent Entered by" in text
    assert "Self-assessed score: 3.4000 (3 + (67 − 65) / (70 − 65) = 3.4000)" in text
    assert "Score of the adjusted result 3.4000 Level reached: 3" in text
    assert response.context["can_decide"] is True
    assert list(response.context["form"].fields) == ["decision", "comment", "value"]


def test_verify_accept_records_the_decision_and_returns_to_the_sar(client, sar, people, english):
    submit(sar, people)
    row = result(sar, "1.1")
    client.force_login(people.owner)
    response = client.post(url("result_verify", row.pk), {"decision": "accept"})
    assert response.status_code == 302
    assert response.url == url("sar_detail", sar.pk) + f"#result-{row.pk}"
    row.refresh_from_db()
    assert (row.status, row.verified_by) == (ResultStatus.ACCEPTED, people.owner)
    assert messages_of(client.get(response.url)) == ["Your decision has been recorded."]


def test_verify_adjust_without_a_justification_is_a_comment_error(client, sar, people, english):
    submit(sar, people)
    row = result(sar, "1.1")
    client.force_login(people.owner)
    response = client.post(url("result_verify", row.pk), {"decision": "adjust", "value": "61"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["comment"]
    assert 'value="61"' in response.content.decode()
    row.refresh_from_db()
    assert row.status == ResultStatus.PENDING


def test_verify_before_submission_explains_when_it_opens(client, sar, people, english):
    client.force_login(people.owner)
    response = client.get(url("result_verify", result(sar, "1.1").pk))
    assert response.context["can_decide"] is False
    assert (
        "Results are verified while the report waits for verification, after the unit has "
        "submitted it." in text_of(response.content)
    )


# --- ResultParticipation ---------------------------------------------------------------------------


def test_participation_not_started_with_a_note_is_saved(client, sar, people, english):
    row = result(sar, "3.1")
    client.force_login(people.planner)
    response = client.post(
        url("result_participation", row.pk),
        {"participation": Participation.NOT_STARTED, "note": "เริ่มวัดผลรอบ 9 เดือน"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.participation, row.participation_note) == (
        Participation.NOT_STARTED,
        "เริ่มวัดผลรอบ 9 เดือน",
    )
    detail = client.get(response.url)
    assert "Starts in a later round เริ่มวัดผลรอบ 9 เดือน" in element_text(detail, f"result-{row.pk}")


def test_participation_without_a_note_shows_the_service_message(client, sar, people, english):
    client.force_login(people.planner)
    response = client.post(
        url("result_participation", result(sar, "3.1").pk),
        {"participation": Participation.CANCELLED, "note": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "note": ["Say why the KPI is not reported in this round."]
    }


# --- The home page and the menu --------------------------------------------------------------------


def test_home_panel_lists_the_unit_heads_rounds_with_late_ones_highlighted(
    client, agreement, sars, people, english
):
    set_deadlines(agreement, days_from_today=-2)
    SAR.objects.filter(pk=sars[9].pk).update(
        reopened_until=timezone.localdate() + timedelta(days=5)
    )
    sars = {months: SAR.objects.get(pk=sar.pk) for months, sar in sars.items()}
    client.force_login(people.head)
    response = client.get(reverse("home"))
    panel = element_text(response, "sar-panel")
    assert panel.startswith("My agreements and self-assessment reports 2 late")
    assert element_text(response, f"home-sar-{sars[6].pk}") == (
        f"6 months {en(sars[6].deadline)} 2 days late Open for entry"
    )
    assert element_text(response, f"home-sar-{sars[9].pk}") == (
        f"9 months {en(sars[9].deadline)} 5 days left Open for entry"
    )
    assert f'id="home-sar-{sars[12].pk}" class="table-danger"' in (response.content.decode())


def test_home_panel_is_not_shown_to_people_who_do_not_report(client, sars, people):
    client.force_login(people.planner)
    response = client.get(reverse("home"))
    assert 'id="sar-panel"' not in response.content.decode()


def test_home_panel_reads_a_fixed_number_of_queries(client, agreement, sars, people):
    client.force_login(people.head)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    fill(sars[6], people.collector)
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("home"))
    assert len(again) == len(one)


def test_home_panels_registry_keeps_one_of_each_and_skips_empty_panels(rf, monkeypatch):
    monkeypatch.setattr(home_panels, "_sources", [])
    shown = home_panels.Panel("x.html", {"a": 1})
    home_panels.register(lambda request: None)
    source = home_panels.register(lambda request: shown)
    home_panels.register(source)
    assert home_panels.panels_for(rf.get("/")) == [shown]


def nav(response) -> dict[str, bool]:
    return {str(item["label"]): item["active"] for item in response.context["nav_items"]}


def test_menu_marks_self_assessment_on_sar_pages_and_agreements_elsewhere(
    client, sar, people, english
):
    client.force_login(people.planner)
    on_sar = nav(client.get(url("sar_detail", sar.pk)))
    assert (on_sar["SAR"], on_sar["Agreements"]) == (True, False)
    on_overdue = nav(client.get(reverse("agreements:sar_overdue")))
    assert (on_overdue["SAR"], on_overdue["Agreements"]) == (True, False)
    on_agreements = nav(client.get(reverse("agreements:agreement_list")))
    assert (on_agreements["Agreements"], on_agreements["SAR"]) == (True, False)


def test_menu_has_self_assessment_for_every_role_and_the_list_links_late_reports_for_planners(
    client, sar, people, english
):
    client.force_login(people.collector)
    assert "SAR" in nav(client.get(reverse("home")))
    listed = client.get(reverse("agreements:sar_list"))
    assert reverse("agreements:sar_overdue") not in listed.content.decode()
    client.force_login(people.planner)
    listed = client.get(reverse("agreements:sar_list"))
    assert f'href="{reverse("agreements:sar_overdue")}"' in listed.content.decode()
