"""Site visits of the 6- and 12-month rounds: the services' rules and the three pages.

The Department of Health's agreement (FY 2552) is signed by direct data and its SARs opened. The
Ministry of Public Health has a working group (one member); the Ministry of Finance has another,
whose member may not be named on a DoH visit.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import SAR, AgreementKPI, KPIResult, SiteVisit, SiteVisitFinding
from agreements.services.site_visits import (
    site_visit_record,
    site_visit_update,
    visit_period_start,
    working_group_members,
)
from governance.enums import CommitteeKind, CommitteePosition, Role
from governance.errors import ActionForbidden, DomainError
from governance.models import FiscalYear
from tests.agreements.sar_world import open_sars
from tests.conftest import make_person
from tests.factories import (
    AgreementKPIFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    UserFactory,
)

VISIT_6 = date(2009, 4, 20)  # a visit of the 6-month round of FY 2552


@pytest.fixture
def sars(agreement) -> dict[int, SAR]:
    return open_sars(agreement)


@pytest.fixture
def wg_member(tree):
    """A member of the Ministry of Public Health's working group (above the department)."""
    person = UserFactory(
        username="wg_member",
        name_th="นางสาวคณะทำงาน ตรวจเยี่ยม",
        position_th="นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ",
    )
    committee = CommitteeFactory(
        organisation=tree.ministry,
        kind=CommitteeKind.WORKING_GROUP,
        name_th="คณะทำงานจัดทำคำรับรองและประเมินผล กระทรวงสาธารณสุข",
    )
    CommitteeMemberFactory(committee=committee, user=person, position=CommitteePosition.MEMBER)
    return person


@pytest.fixture
def stranger(tree):
    """A member of the Ministry of Finance's working group: not a working group of the DoH."""
    person = UserFactory(username="mof_wg_member")
    committee = CommitteeFactory(organisation=tree.other_ministry, kind=CommitteeKind.WORKING_GROUP)
    CommitteeMemberFactory(committee=committee, user=person, position=CommitteePosition.MEMBER)
    return person


def results(sar: SAR) -> dict[str, KPIResult]:
    return {r.annex_kpi.code: r for r in sar.results.select_related("annex_kpi")}


def record(sar: SAR, actor, **overrides) -> SiteVisit:
    fields = {
        "visited_on": VISIT_6,
        "members": [],
        "other_members": "นายผู้สังเกตการณ์ ภายนอก (ผู้ทรงคุณวุฒิ)",
        "summary": "",
        "follow_ups": "",
        "findings": {},
    }
    return site_visit_record(actor=actor, sar=sar, **{**fields, **overrides})


# --- Recording a visit ----------------------------------------------------------------------------


def test_planner_records_a_visit_with_members_and_a_finding_per_kpi(sars, cast, wg_member):
    sar = sars[6]
    rows = results(sar)

    visit = record(
        sar,
        cast.planner,
        members=[wg_member],
        other_members="  นายผู้สังเกตการณ์ ภายนอก  ",
        summary="ผลการดำเนินงานเป็นไปตามแผน",
        follow_ups="ติดตามผลในรอบ 12 เดือน",
        findings={
            rows["1.1"].pk: (" ข้อมูลครบถ้วน ", "ให้จัดเก็บหลักฐานเพิ่มเติม"),
            rows["2.1"].pk: ("", ""),
        },
    )

    visit.refresh_from_db()
    assert (visit.sar, visit.visited_on, visit.recorded_by) == (sar, VISIT_6, cast.planner)
    assert visit.other_members == "นายผู้สังเกตการณ์ ภายนอก"
    assert visit.summary == "ผลการดำเนินงานเป็นไปตามแผน"
    assert visit.follow_ups == "ติดตามผลในรอบ 12 เดือน"
    assert list(visit.members.all()) == [wg_member]
    # A KPI with nothing written keeps no row.
    assert list(visit.findings.values_list("result__annex_kpi__code", "finding", "follow_up")) == [
        ("1.1", "ข้อมูลครบถ้วน", "ให้จัดเก็บหลักฐานเพิ่มเติม")
    ]


def test_working_group_member_may_record_a_visit(sars, wg_member):
    visit = record(sars[12], wg_member, visited_on=date(2009, 10, 5), members=[wg_member])

    assert visit.recorded_by == wg_member


def test_unit_head_may_not_record_a_visit(sars, tree):
    head = make_person(tree.department, Role.UNIT_HEAD, username="doh_head")

    with pytest.raises(ActionForbidden):
        record(sars[6], head)
    assert SiteVisit.objects.count() == 0


def test_other_ministrys_working_group_may_not_record_a_visit(sars, stranger):
    with pytest.raises(ActionForbidden):
        record(sars[6], stranger)


def test_round_without_site_visit_is_refused(sars, cast, english):
    with pytest.raises(DomainError) as error:
        record(sars[9], cast.planner, visited_on=date(2009, 7, 20))

    assert error.value.message == "The 9-month round has no site visit."


def test_visit_date_in_the_future_is_refused(sars, cast, english):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(DomainError) as error:
        record(sars[12], cast.planner, visited_on=tomorrow)

    assert (error.value.field, error.value.message) == (
        "visited_on",
        "The date of a visit cannot lie in the future.",
    )


def test_visit_today_is_accepted(sars, cast):
    visit = record(sars[12], cast.planner, visited_on=timezone.localdate())

    assert visit.visited_on == timezone.localdate()


def test_visit_before_the_rounds_period_is_refused(sars, cast, english):
    # The 12-month round reports on what follows the 9-month period (which ends 30 June 2009).
    with pytest.raises(DomainError) as error:
        record(sars[12], cast.planner, visited_on=date(2009, 6, 30))

    assert error.value.field == "visited_on"
    assert error.value.message == (
        "A visit of the 12-month round cannot come before 1 July 2009, the start of the period "
        "it reports on."
    )
    assert record(sars[12], cast.planner, visited_on=date(2009, 7, 1)).visited_on == date(
        2009, 7, 1
    )


def test_first_rounds_visits_start_with_the_fiscal_year(sars, cast):
    assert visit_period_start(sars[6].round) == date(2008, 10, 1)
    with pytest.raises(DomainError):
        record(sars[6], cast.planner, visited_on=date(2008, 9, 30))


def test_visit_refusal_names_the_date_in_the_buddhist_era_in_thai(sars, cast):
    with pytest.raises(DomainError) as error:
        record(sars[12], cast.planner, visited_on=date(2009, 6, 1))

    assert "2552" in error.value.message
    assert "2009" not in error.value.message


def test_finding_about_another_sars_result_is_refused(sars, cast, english):
    foreign = results(sars[12])["1.1"]

    with pytest.raises(DomainError) as error:
        record(sars[6], cast.planner, findings={foreign.pk: ("พบ", "")})

    assert error.value.message == "A finding refers to a KPI result that is not part of this SAR."
    assert SiteVisit.objects.count() == 0


def test_member_who_sits_on_no_working_group_above_is_refused(sars, cast, stranger, english):
    # The negotiation committee is not a working group; the MoF's working group is not above DoH.
    with pytest.raises(DomainError) as error:
        record(sars[6], cast.planner, members=[cast.member, stranger])

    assert error.value.field == "members"
    assert error.value.message == (
        f"{cast.member.display_name}, {stranger.display_name} sit on no working group of "
        "Department of Health or above it."
    )


def test_visit_without_any_participant_is_refused(sars, cast, english):
    with pytest.raises(DomainError) as error:
        record(sars[6], cast.planner, members=[], other_members="   ")

    assert error.value.message == "Name at least one person who took part in the visit."


def test_second_visit_on_the_same_day_is_refused(sars, cast, english):
    record(sars[6], cast.planner)

    with pytest.raises(DomainError) as error:
        record(sars[6], cast.planner)

    assert error.value.field == "visited_on"
    assert SiteVisit.objects.count() == 1


def test_two_visits_on_different_days_are_both_kept(sars, cast):
    record(sars[6], cast.planner)
    record(sars[6], cast.planner, visited_on=VISIT_6 + timedelta(days=7))

    assert list(sars[6].site_visits.values_list("visited_on", flat=True)) == [
        VISIT_6,
        VISIT_6 + timedelta(days=7),
    ]


def test_visit_in_a_closed_year_is_refused(sars, cast):
    FiscalYear.objects.filter(pk=sars[6].round.fiscal_year_id).update(is_closed=True)

    with pytest.raises(DomainError):
        record(sars[6], cast.planner)


def test_working_group_members_include_those_of_the_organisation_and_above_only(
    tree, wg_member, stranger, cast
):
    own = UserFactory(username="doh_wg")
    CommitteeMemberFactory(
        committee=CommitteeFactory(organisation=tree.department, kind=CommitteeKind.WORKING_GROUP),
        user=own,
    )
    below = UserFactory(username="plan_wg")
    CommitteeMemberFactory(
        committee=CommitteeFactory(
            organisation=tree.planning_unit, kind=CommitteeKind.WORKING_GROUP
        ),
        user=below,
    )

    assert set(working_group_members(tree.department)) == {wg_member, own}
    assert set(working_group_members(tree.department, keep=[cast.member.pk])) == {
        wg_member,
        own,
        cast.member,
    }


# --- Changing a visit -----------------------------------------------------------------------------


def test_update_changes_the_visit_and_its_findings(sars, cast, wg_member):
    sar = sars[6]
    rows = results(sar)
    visit = record(
        sar,
        cast.planner,
        members=[wg_member],
        findings={rows["1.1"].pk: ("เดิม", "เดิม"), rows["1.2"].pk: ("ลบ", "")},
    )

    site_visit_update(
        actor=cast.admin,
        visit=visit,
        visited_on=VISIT_6 + timedelta(days=1),
        members=[],
        other_members="นายผู้สังเกตการณ์",
        summary="สรุป",
        follow_ups="ติดตาม",
        findings={
            rows["1.1"].pk: ("ใหม่", "เดิม"),
            rows["1.2"].pk: ("", ""),
            rows["3.1"].pk: ("", "ติดตามการเบิกจ่าย"),
        },
    )

    visit.refresh_from_db()
    assert (visit.visited_on, visit.summary, visit.follow_ups) == (
        VISIT_6 + timedelta(days=1),
        "สรุป",
        "ติดตาม",
    )
    assert list(visit.members.all()) == []
    assert visit.recorded_by == cast.planner
    assert sorted(
        visit.findings.values_list("result__annex_kpi__code", "finding", "follow_up")
    ) == [("1.1", "ใหม่", "เดิม"), ("3.1", "", "ติดตามการเบิกจ่าย")]


def test_update_keeps_a_member_who_has_left_the_working_group(sars, cast, wg_member):
    visit = record(sars[6], cast.planner, members=[wg_member])
    wg_member.committee_seats.all().delete()

    site_visit_update(
        actor=cast.planner,
        visit=visit,
        visited_on=VISIT_6,
        members=[wg_member],
        other_members="",
        summary="",
        follow_ups="",
        findings={},
    )

    assert list(visit.members.all()) == [wg_member]


def test_update_checks_the_date_like_recording(sars, cast):
    visit = record(sars[6], cast.planner)

    with pytest.raises(DomainError):
        site_visit_update(
            actor=cast.planner,
            visit=visit,
            visited_on=timezone.localdate() + timedelta(days=1),
            members=[],
            other_members="x",
        )
    visit.refresh_from_db()
    assert visit.visited_on == VISIT_6


def test_unit_head_may_not_change_a_visit(sars, cast, tree):
    visit = record(sars[6], cast.planner)
    head = make_person(tree.department, Role.UNIT_HEAD, username="doh_head")

    with pytest.raises(ActionForbidden):
        site_visit_update(
            actor=head, visit=visit, visited_on=VISIT_6, members=[], other_members="x"
        )


# --- Pages ----------------------------------------------------------------------------------------


def test_create_page_offers_one_finding_pair_per_kpi_and_the_working_group(
    client, sars, cast, wg_member, stranger
):
    sar = sars[6]
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:site_visit_create", args=[sar.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["members"].queryset) == [wg_member]
    codes = [r.annex_kpi.code for r in form.results]
    assert codes == ["1.1", "1.2", "2.1", "3.1", "4.1"]
    for result in form.results:
        assert f'name="finding_{result.pk}"' in response.text
        assert f'name="follow_up_{result.pk}"' in response.text
    # Thai page: the earliest date is printed in the Buddhist era.
    assert "1 ตุลาคม 2551" in response.text


def test_create_page_of_a_round_without_visits_says_so_and_has_no_form(client, sars, cast, english):
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:site_visit_create", args=[sars[9].pk]))

    assert response.status_code == 200
    assert "The 9-month round has no site visit" in response.text
    assert 'name="visited_on"' not in response.text


def test_posting_the_form_records_the_visit_and_shows_it(client, sars, cast, wg_member):
    sar = sars[6]
    rows = results(sar)
    client.force_login(cast.planner)

    response = client.post(
        reverse("agreements:site_visit_create", args=[sar.pk]),
        {
            "visited_on": "20/4/2552",  # Buddhist era on the Thai page
            "members": [wg_member.pk],
            "other_members": "นายผู้สังเกตการณ์",
            "summary": "สรุปผลการตรวจเยี่ยม",
            "follow_ups": "ติดตามผล",
            f"finding_{rows['1.1'].pk}": "พบหลักฐานครบ",
            f"follow_up_{rows['1.1'].pk}": "ไม่มี",
        },
    )

    visit = SiteVisit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("agreements:site_visit_detail", args=[visit.pk])
    assert visit.visited_on == VISIT_6
    assert list(visit.members.all()) == [wg_member]
    assert list(visit.findings.values_list("result", "finding", "follow_up")) == [
        (rows["1.1"].pk, "พบหลักฐานครบ", "ไม่มี")
    ]
    page = client.get(response.url)
    assert "พบหลักฐานครบ" in page.text
    assert "สรุปผลการตรวจเยี่ยม" in page.text
    assert "นางสาวคณะทำงาน ตรวจเยี่ยม" in page.text
    assert "20 เม.ย. 2552" in page.text


def test_refused_date_comes_back_as_a_form_error(client, sars, cast, english):
    client.force_login(cast.planner)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        reverse("agreements:site_visit_create", args=[sars[12].pk]),
        {"visited_on": tomorrow.strftime("%d/%m/%Y"), "other_members": "Mr Observer"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "visited_on": ["The date of a visit cannot lie in the future."]
    }
    assert SiteVisit.objects.count() == 0


def test_edit_page_shows_what_was_recorded_and_saves_changes(client, sars, cast, wg_member):
    sar = sars[6]
    rows = results(sar)
    visit = record(
        sar, cast.planner, members=[wg_member], findings={rows["2.1"].pk: ("ช้า", "เร่งรัด")}
    )
    client.force_login(cast.planner)
    url = reverse("agreements:site_visit_edit", args=[visit.pk])

    page = client.get(url)
    assert page.context["form"].initial[f"finding_{rows['2.1'].pk}"] == "ช้า"
    assert page.context["form"].initial["members"] == [wg_member.pk]

    response = client.post(
        url,
        {
            "visited_on": "21/4/2552",
            "members": [wg_member.pk],
            "other_members": "",
            "summary": "แก้ไขแล้ว",
            "follow_ups": "",
            f"finding_{rows['2.1'].pk}": "ช้ากว่าเป้าหมาย",
            f"follow_up_{rows['2.1'].pk}": "เร่งรัด",
        },
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.visited_on, visit.summary) == (date(2009, 4, 21), "แก้ไขแล้ว")
    assert SiteVisitFinding.objects.get(visit=visit).finding == "ช้ากว่าเป้าหมาย"


def test_unit_head_reads_the_visit_without_the_edit_button(client, sars, cast, unit_head):
    visit = record(sars[6], cast.planner)
    client.force_login(unit_head)

    detail = client.get(reverse("agreements:site_visit_detail", args=[visit.pk]))
    edit = client.get(reverse("agreements:site_visit_edit", args=[visit.pk]))
    create = client.get(reverse("agreements:site_visit_create", args=[sars[6].pk]))

    assert detail.status_code == 200
    assert 'id="site-visit-edit"' not in detail.text
    assert (edit.status_code, create.status_code) == (403, 403)


def test_planner_sees_the_edit_button(client, sars, cast):
    visit = record(sars[6], cast.planner)
    client.force_login(cast.planner)

    detail = client.get(reverse("agreements:site_visit_detail", args=[visit.pk]))

    assert 'id="site-visit-edit"' in detail.text


def test_other_ministry_gets_404_for_every_visit_page(client, sars, cast):
    visit = record(sars[6], cast.planner)
    client.force_login(cast.outsider)

    for url in (
        reverse("agreements:site_visit_detail", args=[visit.pk]),
        reverse("agreements:site_visit_edit", args=[visit.pk]),
        reverse("agreements:site_visit_create", args=[sars[6].pk]),
    ):
        assert client.get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_visit_pages_use_as_many_queries_for_many_kpis_as_for_few(client, sars, cast):
    sar = sars[6]
    visit = record(sar, cast.planner, findings={results(sar)["1.1"].pk: ("พบ", "ติดตาม")})
    client.force_login(cast.planner)
    urls = [
        reverse("agreements:site_visit_detail", args=[visit.pk]),
        reverse("agreements:site_visit_edit", args=[visit.pk]),
        reverse("agreements:site_visit_create", args=[sar.pk]),
    ]
    before = [_queries(client, url) for url in urls]

    for n in range(10):
        row = AgreementKPIFactory(version=sar.version, code=f"9.{n + 1}", dimension_number=4)
        KPIResult.objects.create(sar=sar, annex_kpi=row)
    added = KPIResult.objects.filter(sar=sar, annex_kpi__code__startswith="9.")
    for result in added:
        SiteVisitFinding.objects.create(visit=visit, result=result, finding="พบ")

    assert AgreementKPI.objects.filter(version=sar.version).count() >= 15
    assert [_queries(client, url) for url in urls] == before
