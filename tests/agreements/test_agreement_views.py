"""The agreement pages: list, drafting, the agreement with its buttons and timeline, edit, act,
versions. Exact content on the happy paths, typed input kept on errors, fixed query counts."""

import re
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.enums import AgreementState, VersionKind
from agreements.models import Agreement, AgreementTransition, AgreementVersion
from governance.enums import OrganisationKind, Role
from kpis.enums import FrameworkState
from tests.agreements.conftest import (
    RESOLUTION,
    act,
    latest,
    set_state,
    sign,
    to_approved,
)
from tests.factories import (
    AgreementFactory,
    AgreementKPIFactory,
    AgreementVersionFactory,
    FiscalYearFactory,
    FrameworkFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

S = AgreementState
BANGKOK = ZoneInfo("Asia/Bangkok")


# --- Reading pages -----------------------------------------------------------------------------------


def text_of(html: bytes | str) -> str:
    """The text a person reads: tags removed, spaces collapsed."""
    html = html.decode() if isinstance(html, bytes) else html
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def element_html(response, element_id: str) -> str:
    """The inner HTML of the element with this id, nested elements of the same tag included."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element #{element_id}"
    tag, depth = match.group(1), 1
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", html[match.end() :]):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return html[match.end() : match.end() + found.start()]
    raise AssertionError(f"#{element_id} is not closed")


def element_text(response, element_id: str) -> str:
    return text_of(element_html(response, element_id))


def item_texts(response, list_id: str) -> list[str]:
    """The text of each top-level <li> of the list with this id."""
    html = response.content.decode()
    match = re.search(rf'<(ol|ul)[^>]*\bid="{list_id}"[^>]*>(.*)', html, re.S)
    assert match, f"no list #{list_id}"
    body, items, depth, start = match.group(2), [], 0, 0
    for tag in re.finditer(r"<(/?)(li|ol|ul)\b[^>]*>", body):
        closing, name = tag.group(1) == "/", tag.group(2)
        if name in ("ol", "ul"):
            if closing and depth == 0:
                break
            depth += -1 if closing else 1
        elif depth == 0 and not closing:
            start = tag.end()
        elif depth == 0 and closing:
            items.append(text_of(body[start : tag.start()]))
    return items


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def form_actions(response) -> list[str]:
    """Where each POST form of the page sends its data."""
    forms = re.findall(r"<form\b([^>]*)>", response.content.decode())
    return [
        re.search(r'action="([^"]*)"', attrs).group(1)
        for attrs in forms
        if re.search(r'method="post"', attrs, re.I) and 'action="' in attrs
    ]


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BANGKOK)


@pytest.fixture
def planner(client, cast):
    client.force_login(cast.planner)
    return client


@pytest.fixture
def people(tree, cast):
    """The parties hold roles in the ministry tree, so planners may name them."""
    MembershipFactory(user=cast.maker, organisation=tree.department, role=Role.UNIT_HEAD)
    MembershipFactory(user=cast.receiver, organisation=tree.ministry, role=Role.UNIT_HEAD)
    return cast


def unit_agreement(tree, year, n: int, *, rows: int = 0) -> Agreement:
    """An agreement of a new unit of the Department of Health, with version 1 and `rows` KPIs."""
    unit = OrganisationFactory(parent=tree.department, kind=OrganisationKind.UNIT)
    agreement = AgreementFactory(framework=FrameworkFactory(fiscal_year=year, organisation=unit))
    version = AgreementVersionFactory(agreement=agreement, number=1)
    for index in range(rows):
        AgreementKPIFactory(version=version, code=f"1.{index + 1}", weight=2)
    return agreement


# --- AgreementList -------------------------------------------------------------------------------


def test_list_groups_visible_agreements_by_year_with_state_version_parties_and_pdf(
    client, agreement, cast, tree, year, english
):
    next_year = FiscalYearFactory(year=2553)
    later = AgreementFactory(
        framework=FrameworkFactory(fiscal_year=next_year, organisation=tree.department),
        maker_name_en="Dr Maker",
        maker_position_en="Director-General",
        receiver_name_en="Dr Receiver",
        receiver_position_en="Permanent Secretary",
    )
    AgreementVersionFactory(agreement=later, number=1)
    AgreementVersionFactory(agreement=later, number=2, pdf_sha256="a" * 64)
    AgreementVersionFactory(agreement=later, number=3)
    set_state(later, S.REPORTING)
    hidden = AgreementFactory(
        framework=FrameworkFactory(fiscal_year=year, organisation=tree.other_department)
    )
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:agreement_list"))

    assert response.status_code == 200
    years = re.findall(
        r'<h2 class="card-header h6 mb-0" id="year-\d+">([^<]+)</h2>', response.content.decode()
    )
    assert years == ["FY 2553", "FY 2552"]
    assert element_text(response, f"agreement-{agreement.pk}") == (
        "Department of Health (อน.) Draft 1 "
        "Dr Maker Director-General, Department of Health "
        "Dr Receiver Permanent Secretary, Ministry of Public Health —"
    )
    assert element_text(response, f"agreement-{later.pk}") == (
        "Department of Health (อน.) Reporting 3 Dr Maker Director-General "
        "Dr Receiver Permanent Secretary Version 2"
    )
    assert reverse("agreements:signed_pdf", args=[later.pk, 2]) in response.content.decode()
    assert f'id="agreement-{hidden.pk}"' not in response.content.decode()
    assert reverse("agreements:agreement_create") in response.content.decode()


def test_list_in_thai_names_the_buddhist_fiscal_year(client, agreement, cast):
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:agreement_list"))

    assert "ปีงบประมาณ พ.ศ. 2552" in text_of(response.content)
    assert "นายแพทย์ผู้ทำ คำรับรอง" in element_text(response, f"agreement-{agreement.pk}")


def test_list_filters_by_year_and_state(client, agreement, cast, tree, year):
    other = unit_agreement(tree, year, 1)
    set_state(other, S.APPROVED)
    client.force_login(cast.planner)

    by_state = client.get(reverse("agreements:agreement_list"), {"state": S.APPROVED})
    by_year = client.get(
        reverse("agreements:agreement_list"), {"fiscal_year": FiscalYearFactory(year=2553).pk}
    )

    html = by_state.content.decode()
    assert f'id="agreement-{other.pk}"' in html
    assert f'id="agreement-{agreement.pk}"' not in html
    # A year nobody has an agreement for is not a choice: the whole list stays, with the error.
    assert by_year.context["filter_form"].errors
    assert f'id="agreement-{agreement.pk}"' in by_year.content.decode()


def test_list_offers_new_agreement_only_to_planners(client, agreement, unit_head):
    client.force_login(unit_head)

    response = client.get(reverse("agreements:agreement_list"))

    assert f'id="agreement-{agreement.pk}"' in response.content.decode()
    assert reverse("agreements:agreement_create") not in response.content.decode()


def test_list_makes_the_same_number_of_queries_for_2_and_12_agreements(
    client, planning_officer, tree, year
):
    client.force_login(planning_officer)
    for n in range(2):
        unit_agreement(tree, year, n)
    client.get(reverse("agreements:agreement_list"))  # warm the session and caches

    with CaptureQueriesContext(connection) as two:
        client.get(reverse("agreements:agreement_list"))
    for n in range(10):
        unit_agreement(tree, year, n + 2)
    with CaptureQueriesContext(connection) as twelve:
        response = client.get(reverse("agreements:agreement_list"))

    assert response.content.decode().count('id="agreement-') == 12
    assert len(twelve) == len(two)


# --- AgreementCreate -----------------------------------------------------------------------------


def test_create_offers_published_frameworks_named_people_and_negotiation_committees(
    planner, framework, people, committee, tree, year, english
):
    FrameworkFactory(fiscal_year=year, organisation=tree.planning_unit)  # still a draft
    FrameworkFactory(
        fiscal_year=year, organisation=tree.other_department, state=FrameworkState.PUBLISHED
    )

    response = planner.get(reverse("agreements:agreement_create"))

    form = response.context["form"]
    assert list(form.fields["framework"].queryset) == [framework]
    offered = set(form.fields["maker"].queryset)
    assert {people.maker, people.receiver, people.planner} <= offered
    assert people.outsider not in offered
    assert list(form.fields["negotiation_committee"].queryset) == [committee]
    assert "Department of Health · FY 2552 · DoH framework 2552" in text_of(response.content)


def test_create_drafts_the_agreement_with_the_parties_from_their_profiles(
    planner, framework, people, committee, english
):
    response = planner.post(
        reverse("agreements:agreement_create"),
        {
            "framework": framework.pk,
            "maker": people.maker.pk,
            "receiver": people.receiver.pk,
            "receiver_position_th": "ปลัดกระทรวงสาธารณสุข (รักษาราชการแทน)",
            "negotiation_committee": committee.pk,
        },
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response.url == agreement.get_absolute_url()
    assert (agreement.maker, agreement.receiver, agreement.negotiation_committee) == (
        people.maker,
        people.receiver,
        committee,
    )
    assert (agreement.maker_name_th, agreement.maker_position_th) == (
        "นายแพทย์ผู้ทำ คำรับรอง",
        "อธิบดีกรมอนามัย",
    )
    assert agreement.receiver_position_th == "ปลัดกระทรวงสาธารณสุข (รักษาราชการแทน)"
    assert list(agreement.versions.values_list("number", "kind")) == [(1, VersionKind.ORIGINAL)]
    assert messages_of(planner.get(response.url)) == [
        "The agreement has been drafted: version 1 holds the standard clauses and the "
        "framework's KPIs."
    ]


def test_create_shows_the_error_at_the_field_and_keeps_what_was_typed(
    planner, framework, people, english
):
    response = planner.post(
        reverse("agreements:agreement_create"),
        {
            "framework": framework.pk,
            "maker": people.maker.pk,
            "receiver": people.maker.pk,
            "maker_position_th": "อธิบดีกรมอนามัย (ทดสอบ)",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "receiver": ["The maker and the receiver of an agreement are two different people."]
    }
    assert 'value="อธิบดีกรมอนามัย (ทดสอบ)"' in response.content.decode()
    assert not Agreement.objects.exists()


def test_create_refuses_a_framework_that_is_not_offered(planner, people, tree, year, english):
    draft = FrameworkFactory(fiscal_year=year, organisation=tree.department)

    response = planner.post(
        reverse("agreements:agreement_create"),
        {"framework": draft.pk, "maker": people.maker.pk, "receiver": people.receiver.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["framework"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


# --- AgreementDetail -----------------------------------------------------------------------------


def test_detail_shows_the_header_parties_and_the_annex_by_dimension(planner, agreement, english):
    response = planner.get(agreement.get_absolute_url())

    assert response.status_code == 200
    assert element_text(response, "agreement-facts") == (
        "Organisation Department of Health Fiscal year FY 2552 "
        "KPI framework DoH framework 2552 "
        "Negotiation committee DoH negotiation and evaluation committee "
        "Maker of the agreement (ผู้ทำคำรับรอง) Dr Maker · Director-General, Department of Health "
        "Receiver of the agreement (ผู้รับคำรับรอง) Dr Receiver · Permanent Secretary, Ministry "
        "of Public Health Current version Version 1 (Original)"
    )
    text = text_of(response.content)
    assert "Draft Performance agreement of Department of Health FY 2552" in text
    assert "Dimension 1: Effectiveness · weight 45" in text
    assert "Dimension 4: Organisational development · weight 20" in text
    assert element_text(response, "annex-1.1") == (
        "1.1 ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย KPI 1.1 percent 25 "
        "55 60 65 (target) 70 75 0 comments · 1.1 Edit 1.1"
    )
    assert element_text(response, "annex-4.1") == (
        "4.1 ระดับความสำเร็จของการพัฒนาบุคลากร KPI 4.1 percent 20 "
        "จัดทำแผนพัฒนาบุคลากร ดำเนินการตามแผน 80 (target) 85 90 0 comments · 4.1 Edit 4.1"
    )
    assert element_text(response, "reconciliation-heading") == (
        "Weight reconciliation Weights reconcile"
    )


def test_detail_in_thai_shows_the_buddhist_year_and_thai_names(client, agreement, cast):
    client.force_login(cast.chair)

    response = client.get(agreement.get_absolute_url())

    text = text_of(response.content)
    assert "ปีงบประมาณ พ.ศ. 2552" in text
    assert element_text(response, "party-maker") == "นายแพทย์ผู้ทำ คำรับรอง · อธิบดีกรมอนามัย"


def test_detail_names_unbalanced_weights(planner, agreement, english):
    latest(agreement).kpis.filter(code="1.1").update(weight=30)

    response = planner.get(agreement.get_absolute_url())

    assert element_text(response, "reconciliation-heading") == (
        "Weight reconciliation Weights do not reconcile"
    )
    assert "KPIs 5 over" in element_text(response, "dimension-1")


def test_detail_buttons_follow_the_table_and_the_role(client, agreement, cast, unit_head, english):
    detail = agreement.get_absolute_url()

    client.force_login(cast.planner)
    as_planner = client.get(detail)
    client.force_login(unit_head)
    as_unit_head = client.get(detail)
    act(agreement, cast.planner, "propose")
    client.force_login(cast.member)
    as_member = client.get(detail)

    act_url = lambda name: reverse("agreements:agreement_act", args=[agreement.pk, name])  # noqa: E731
    assert element_text(as_planner, "agreement-actions") == (
        "Propose to the committee Edit the parties and clauses"
    )
    assert act_url("propose") in form_actions(as_planner)
    assert element_text(as_unit_head, "agreement-actions") == ""
    assert element_text(as_member, "agreement-actions") == (
        "Open negotiation Reason for “Return to draft” Return to draft"
    )
    assert [a for a in form_actions(as_member) if "/state/" in a] == [
        act_url("open_negotiation"),
        act_url("return_to_draft"),
    ]
    assert 'name="comment" id="comment-return_to_draft"' in as_member.content.decode()


def test_detail_offers_the_chair_the_approval_with_resolution_and_date(
    client, agreement, cast, english
):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")
    client.force_login(cast.chair)

    response = client.get(agreement.get_absolute_url())

    html = response.content.decode()
    assert element_text(response, "act-approve") == (
        "Committee resolution (มติ) Resolution date Record the approval"
    )
    assert 'name="resolution"' in html
    assert 'name="resolution_date"' in html
    assert reverse("agreements:agreement_act", args=[agreement.pk, "approve"]) in form_actions(
        response
    )


def test_detail_links_annex_edits_only_where_the_services_would_allow_them(
    client, agreement, cast, english
):
    edit_link = reverse(
        "agreements:annex_kpi_edit", args=[latest(agreement).kpis.get(code="1.1").pk]
    )
    round_form = reverse("agreements:round_start", args=[agreement.pk])

    client.force_login(cast.planner)
    draft_planner = client.get(agreement.get_absolute_url()).content.decode()
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    negotiation_planner = client.get(agreement.get_absolute_url()).content.decode()
    client.force_login(cast.member)
    before_round = client.get(agreement.get_absolute_url()).content.decode()
    services.negotiation_round_start(actor=cast.member, agreement=agreement)
    in_round = client.get(agreement.get_absolute_url()).content.decode()

    assert edit_link in draft_planner
    assert edit_link not in negotiation_planner
    assert round_form not in negotiation_planner
    assert round_form in before_round
    assert "/annex/" not in before_round
    round_link = reverse(
        "agreements:annex_kpi_edit", args=[latest(agreement).kpis.get(code="1.1").pk]
    )
    assert round_link in in_round


def test_detail_lists_versions_with_frozen_state_pdf_and_diff_links(
    client, agreement, cast, english
):
    to_approved(agreement, cast)
    AgreementVersion.objects.filter(agreement=agreement, number=1).update(
        pdf_sha256="b" * 64, frozen_at=at(2008, 11, 20, 10, 0)
    )
    set_state(agreement, S.SIGNED)
    act(agreement, cast.planner, "amend", comment="แก้ไขค่าเป้าหมาย")
    AgreementVersion.objects.filter(agreement=agreement).update(created_at=at(2008, 11, 20, 9, 0))
    client.force_login(cast.planner)

    response = client.get(agreement.get_absolute_url())

    planner_name = cast.planner.display_name
    assert element_text(response, "version-1") == (
        f"Version 1 Original 20 Nov 2008 · {planner_name} 20 Nov 2008 PDF —"
    )
    assert element_text(response, "version-2") == (
        f"Version 2 Amendment แก้ไขค่าเป้าหมาย 20 Nov 2008 · {planner_name} no — Against version 1"
    )
    html = response.content.decode()
    assert reverse("agreements:signed_pdf", args=[agreement.pk, 1]) in html
    assert reverse("agreements:version_diff", args=[agreement.pk, 2]) in html


def test_detail_shows_signatures_and_the_sign_button_to_whoever_still_signs(
    client, agreement, cast, english
):
    to_approved(agreement, cast)
    signature = sign(agreement, cast.maker)
    signature.signed_at = at(2008, 12, 1, 10, 30)
    signature.save()
    sign_url = reverse("agreements:agreement_sign", args=[agreement.pk])

    client.force_login(cast.maker)
    as_maker = client.get(agreement.get_absolute_url())
    client.force_login(cast.receiver)
    as_receiver = client.get(agreement.get_absolute_url())

    assert sign_url not in as_maker.content.decode()
    assert sign_url in as_receiver.content.decode()
    assert item_texts(as_receiver, "signatures") == [
        "Maker of the agreement (ผู้ทำคำรับรอง): นายแพทย์ผู้ทำ คำรับรอง · อธิบดีกรมอนามัย · "
        "signed on 1 Dec 2008 10:30",
        "Receiver of the agreement (ผู้รับคำรับรอง): Dr Receiver · not signed yet",
    ]


def test_detail_signatures_are_dated_in_the_buddhist_era_in_thai(client, agreement, cast):
    to_approved(agreement, cast)
    signature = sign(agreement, cast.maker)
    signature.signed_at = at(2008, 12, 1, 10, 30)
    signature.save()
    client.force_login(cast.receiver)

    response = client.get(agreement.get_absolute_url())

    assert "1 ธ.ค. 2551 10:30" in element_text(response, "signature-maker")


def test_detail_counts_comments_per_kpi_and_links_the_thread(client, agreement, cast, english):
    services.kpi_comment_add(actor=cast.planner, agreement=agreement, kpi_code="1.1", text="ก")
    services.kpi_comment_add(actor=cast.planner, agreement=agreement, kpi_code="1.1", text="ข")
    services.kpi_comment_add(actor=cast.planner, agreement=agreement, kpi_code="2.1", text="ค")
    client.force_login(cast.member)

    response = client.get(agreement.get_absolute_url())

    assert element_text(response, "annex-1.1").endswith("2 comments · 1.1")
    assert element_text(response, "annex-2.1").endswith("1 comment · 2.1")
    assert reverse("agreements:kpi_thread", args=[agreement.pk, "1.1"]) in response.content.decode()


def test_timeline_merges_state_changes_and_edits_in_order(client, agreement, cast, english):
    client.force_login(cast.planner)
    client.post(
        reverse("agreements:agreement_edit", args=[agreement.pk]),
        {
            **{
                name: getattr(agreement, name)
                for name in (
                    "maker_name_th",
                    "maker_name_en",
                    "maker_position_en",
                    "receiver_name_th",
                    "receiver_name_en",
                    "receiver_position_th",
                    "receiver_position_en",
                )
            },
            "maker": cast.maker.pk,
            "receiver": cast.receiver.pk,
            "maker_position_th": "อธิบดีกรมอนามัย (รักษาราชการแทน)",
            "negotiation_committee": agreement.negotiation_committee_id,
        },
    )
    client.post(reverse("agreements:agreement_act", args=[agreement.pk, "propose"]))
    client.force_login(cast.member)
    client.post(
        reverse("agreements:agreement_act", args=[agreement.pk, "return_to_draft"]),
        {"comment": "โปรดทบทวนน้ำหนักตัวชี้วัด 1.1"},
    )
    # Fixed instants, so the page can be read exactly.
    history = list(agreement.history.order_by("history_date"))
    for minute, record in enumerate(history):
        type(record).objects.filter(pk=record.pk).update(history_date=at(2008, 11, 3, 9, minute))
    for minute, transition in enumerate(agreement.transitions.order_by("created_at"), start=30):
        AgreementTransition.objects.filter(pk=transition.pk).update(
            created_at=at(2008, 11, 3, 9, minute)
        )

    response = client.get(agreement.get_absolute_url())

    planner, member = cast.planner.display_name, cast.member.display_name
    assert item_texts(response, "timeline") == [
        f"3 Nov 2008 09:00 · {planner} · Drafted",
        f"3 Nov 2008 09:01 · {planner} · Edited Maker's position (Thai): อธิบดีกรมอนามัย → "
        "อธิบดีกรมอนามัย (รักษาราชการแทน)",
        f"3 Nov 2008 09:30 · {planner} · Propose to the committee: Draft → Proposed · version 1",
        f"3 Nov 2008 09:31 · {member} · Return to draft: Proposed → Draft · version 1 "
        "โปรดทบทวนน้ำหนักตัวชี้วัด 1.1",
    ]


def test_timeline_names_the_people_of_a_changed_party(client, agreement, cast, english):
    deputy = UserFactory(name_en="Dr Deputy", position_th="รองปลัดกระทรวงสาธารณสุข")
    services.agreement_update(actor=cast.planner, agreement=agreement, receiver=deputy)
    client.force_login(cast.planner)

    response = client.get(agreement.get_absolute_url())

    edit = item_texts(response, "timeline")[1]
    assert "Receiver (person who signs): Dr Receiver → Dr Deputy" in edit


def test_detail_makes_the_same_number_of_queries_for_3_and_20_annex_rows(
    client, planning_officer, tree, year
):
    small, large = unit_agreement(tree, year, 1, rows=3), unit_agreement(tree, year, 2, rows=20)
    for agreement in (small, large):
        services.kpi_comment_add(
            actor=planning_officer, agreement=agreement, kpi_code="1.1", text="ความเห็น"
        )
    client.force_login(planning_officer)
    client.get(small.get_absolute_url())

    with CaptureQueriesContext(connection) as three:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(large.get_absolute_url())

    assert response.content.decode().count('id="annex-1.') == 20
    assert len(twenty) == len(three)


def test_detail_of_another_ministry_is_not_found(client, agreement, other_admin):
    client.force_login(other_admin)

    assert client.get(agreement.get_absolute_url()).status_code == 404


# --- AgreementEdit -------------------------------------------------------------------------------


def parties_data(agreement: Agreement, **changes) -> dict:
    data = {
        name: getattr(agreement, name)
        for name in (
            "maker_name_th",
            "maker_name_en",
            "maker_position_th",
            "maker_position_en",
            "receiver_name_th",
            "receiver_name_en",
            "receiver_position_th",
            "receiver_position_en",
        )
    }
    data.update(
        maker=agreement.maker_id,
        receiver=agreement.receiver_id,
        negotiation_committee=agreement.negotiation_committee_id or "",
    )
    data.update(changes)
    return data


def test_edit_shows_the_parties_and_the_clauses_of_a_draft(planner, agreement, english):
    response = planner.get(reverse("agreements:agreement_edit", args=[agreement.pk]))

    assert response.status_code == 200
    parties = response.context["parties_form"]
    assert parties["maker"].value() == agreement.maker_id
    assert parties["maker_position_th"].value() == "อธิบดีกรมอนามัย"
    assert response.context["clauses_form"]["clauses_th"].value() == latest(agreement).clauses_th
    html = response.content.decode()
    # Both forms post back to this page.
    assert '<form  id="parties-form" method="post" >' in html
    assert '<form  id="clauses-form" method="post" >' in html


def test_edit_new_receiver_brings_their_profile_unless_the_names_were_typed_over(
    planner, agreement, cast, people, tree, english
):
    new_receiver = UserFactory(
        name_th="นายแพทย์ผู้รับ คนใหม่", position_th="รองปลัดกระทรวงสาธารณสุข", name_en="Dr New"
    )
    MembershipFactory(user=new_receiver, organisation=tree.ministry)

    response = planner.post(
        reverse("agreements:agreement_edit", args=[agreement.pk]),
        parties_data(agreement, receiver=new_receiver.pk, receiver_position_en="Deputy PS"),
    )

    agreement.refresh_from_db()
    assert response.status_code == 302
    assert (agreement.receiver, agreement.receiver_name_th, agreement.receiver_position_th) == (
        new_receiver,
        "นายแพทย์ผู้รับ คนใหม่",
        "รองปลัดกระทรวงสาธารณสุข",
    )
    assert (agreement.receiver_name_en, agreement.receiver_position_en) == ("Dr New", "Deputy PS")
    assert "นายแพทย์ผู้รับ คนใหม่" in latest(agreement).clauses_th
    assert messages_of(planner.get(response.url)) == ["The parties have been saved."]


def test_edit_parties_error_is_shown_at_the_field_with_the_input_kept(planner, agreement, english):
    response = planner.post(
        reverse("agreements:agreement_edit", args=[agreement.pk]),
        parties_data(agreement, receiver=agreement.maker_id, maker_name_en="Dr Maker (acting)"),
    )

    assert response.status_code == 200
    assert response.context["parties_form"].errors == {
        "receiver": ["The maker and the receiver of an agreement are two different people."]
    }
    assert 'value="Dr Maker (acting)"' in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.maker_name_en == "Dr Maker"


def test_edit_saves_the_clauses_of_the_latest_version(planner, agreement, english):
    response = planner.post(
        reverse("agreements:agreement_edit", args=[agreement.pk]),
        {"clauses_th": "ข้อ 1 ข้อความใหม่", "clauses_en": "Clause 1, new wording"},
    )

    assert response.status_code == 302
    version = latest(agreement)
    assert (version.clauses_th, version.clauses_en) == ("ข้อ 1 ข้อความใหม่", "Clause 1, new wording")
    assert messages_of(planner.get(response.url)) == ["The clauses of version 1 have been saved."]


def test_edit_empty_thai_clauses_keep_the_english_typed(planner, agreement, english):
    response = planner.post(
        reverse("agreements:agreement_edit", args=[agreement.pk]),
        {"clauses_th": "", "clauses_en": "Kept as typed"},
    )

    assert response.status_code == 200
    assert response.context["clauses_form"].errors == {"clauses_th": ["This field is required."]}
    assert "Kept as typed</textarea>" in response.content.decode()


def test_edit_in_negotiation_offers_the_committee_only_the_clauses_of_its_round(
    client, agreement, cast, english
):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    services.negotiation_round_start(actor=cast.member, agreement=agreement)
    client.force_login(cast.member)
    url = reverse("agreements:agreement_edit", args=[agreement.pk])

    page = client.get(url)
    parties = client.post(url, parties_data(agreement, maker_name_en="Someone else"))

    assert "parties_form" not in page.context
    assert page.context["clauses_form"] is not None
    assert parties.status_code == 403


def test_edit_of_an_approved_agreement_says_nothing_can_change(client, agreement, cast, english):
    to_approved(agreement, cast)
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:agreement_edit", args=[agreement.pk]))

    assert element_text(response, "not-editable") == (
        "The agreement is “Approved”: its parties and clauses cannot be changed now."
    )


def test_edit_is_refused_to_a_unit_head(client, agreement, unit_head):
    client.force_login(unit_head)

    assert client.get(reverse("agreements:agreement_edit", args=[agreement.pk])).status_code == 403


# --- AgreementAct --------------------------------------------------------------------------------


def act_url(agreement: Agreement, action: str) -> str:
    return reverse("agreements:agreement_act", args=[agreement.pk, action])


def test_act_proposes_and_says_so(planner, agreement, english):
    response = planner.post(act_url(agreement, "propose"))

    agreement.refresh_from_db()
    assert response.status_code == 302
    assert response.url == agreement.get_absolute_url()
    assert agreement.state == S.PROPOSED
    assert messages_of(planner.get(response.url)) == [
        "“Propose to the committee” is done: the agreement is now “Proposed”."
    ]


def test_act_without_the_reason_shows_the_form_again(client, agreement, cast, english):
    act(agreement, cast.planner, "propose")
    client.force_login(cast.member)

    response = client.post(act_url(agreement, "return_to_draft"), {"comment": "   "})

    agreement.refresh_from_db()
    assert response.status_code == 200
    assert agreement.state == S.PROPOSED
    assert response.context["act_form"].errors == {"comment": ["Please give a reason."]}
    assert 'id="comment-return_to_draft"' in response.content.decode()


def test_act_approve_records_the_resolution_typed_in_the_buddhist_era(client, agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")
    client.force_login(cast.chair)

    response = client.post(
        act_url(agreement, "approve"),
        {"resolution": RESOLUTION, "resolution_date": "20/11/2551"},
    )

    agreement.refresh_from_db()
    version = latest(agreement)
    assert response.status_code == 302
    assert agreement.state == S.APPROVED
    assert (version.resolution, version.resolution_date) == (RESOLUTION, date(2008, 11, 20))
    assert version.is_frozen
    assert len(version.content_sha256) == 64


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        (
            "20/11/2551",
            "The year 2551 is outside the accepted range; type the full year (e.g. 2008).",
        ),
        ("31/02/2008", "This day does not exist in that month."),
        ("", "Give the date of the committee's resolution."),
    ],
)
def test_act_approve_error_is_shown_at_the_date_with_the_resolution_kept(
    client, agreement, cast, english, typed, error
):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")
    client.force_login(cast.chair)

    response = client.post(
        act_url(agreement, "approve"), {"resolution": RESOLUTION, "resolution_date": typed}
    )

    assert response.status_code == 200
    assert response.context["act_form"].errors == {"resolution_date": [error]}
    html = response.content.decode()
    assert f"{RESOLUTION}</textarea>" in html
    assert f'value="{typed}"' in html
    assert '<details class="agreement-action w-100" open>' in html
    agreement.refresh_from_db()
    assert agreement.state == S.AGREED


def test_act_approve_with_a_future_date_is_refused_at_the_date(client, agreement, cast, english):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")
    client.force_login(cast.chair)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        act_url(agreement, "approve"),
        {"resolution": RESOLUTION, "resolution_date": tomorrow.strftime("%d/%m/%Y")},
    )

    assert response.context["act_form"].errors == {
        "resolution_date": ["The resolution date cannot lie in the future."]
    }


def test_act_in_the_wrong_state_is_a_message(planner, agreement, english):
    set_state(agreement, S.PROPOSED)

    response = planner.post(act_url(agreement, "propose"))

    assert response.status_code == 302
    assert messages_of(planner.get(response.url)) == [
        "“Propose to the committee” is not possible while the state is “Proposed”."
    ]


def test_act_refusal_without_a_field_is_a_message(planner, agreement, english):
    latest(agreement).kpis.filter(code="1.1").update(weight=30)

    response = planner.post(act_url(agreement, "propose"))

    agreement.refresh_from_db()
    assert agreement.state == S.DRAFT
    [message] = messages_of(planner.get(response.url))
    assert message.startswith("The agreement cannot be proposed yet: ")


@pytest.mark.parametrize("action", ["complete_signing", "explode"])
def test_act_only_takes_button_actions(planner, agreement, english, action):
    response = planner.post(act_url(agreement, action))

    assert response.status_code == 302
    assert messages_of(planner.get(response.url)) == [
        f"“{action}” is not an action you can take here."
    ]
    agreement.refresh_from_db()
    assert agreement.state == S.DRAFT


def test_act_by_someone_without_the_permission_is_forbidden(client, agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    act(agreement, cast.chair, "agree")
    client.force_login(cast.member)

    response = client.post(
        act_url(agreement, "approve"), {"resolution": RESOLUTION, "resolution_date": "20/11/2551"}
    )

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.state == S.AGREED


def test_act_answers_only_post(planner, agreement):
    assert planner.get(act_url(agreement, "propose")).status_code == 405


# --- VersionDetail -------------------------------------------------------------------------------


def test_version_detail_of_a_frozen_version_gives_its_date_and_hash(
    client, agreement, cast, english
):
    to_approved(agreement, cast)
    AgreementVersion.objects.filter(agreement=agreement).update(frozen_at=at(2008, 11, 20, 15, 5))
    set_state(agreement, S.SIGNED)
    act(agreement, cast.planner, "amend", comment="ปรับเป้าหมาย")
    version = agreement.versions.get(number=1)
    client.force_login(cast.member)

    response = client.get(reverse("agreements:version_detail", args=[agreement.pk, 1]))

    assert response.status_code == 200
    assert element_text(response, "frozen") == (
        f"Frozen on 20 Nov 2008 15:05 · content SHA-256 {version.content_sha256}"
    )
    assert element_text(response, "not-latest") == (
        "This is an earlier version; the agreement now stands on version 2. Show the latest version"
    )
    assert element_text(response, "annex-1.1").startswith("1.1 ร้อยละของเด็กอายุ 0-5 ปี")
    assert "/annex/" not in response.content.decode()


def test_version_detail_of_a_working_version_is_not_frozen(planner, agreement, english):
    response = planner.get(reverse("agreements:version_detail", args=[agreement.pk, 1]))

    assert element_text(response, "frozen") == (
        "Not yet: this version can still change until it is approved."
    )


def test_version_detail_of_a_missing_version_is_not_found(planner, agreement):
    assert (
        planner.get(reverse("agreements:version_detail", args=[agreement.pk, 9])).status_code == 404
    )
