"""Negotiation pages: rounds, the readable diff of a round, one KPI's terms, the KPI threads."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agreements import services
from agreements.enums import AgreementState, VersionKind
from agreements.models import AgreementKPI, KPIComment
from kpis.enums import CriteriaType
from tests.agreements.conftest import act, latest, row, set_state
from tests.agreements.test_agreement_views import (
    element_text,
    item_texts,
    messages_of,
    text_of,
)
from tests.factories import AgreementKPIFactory

D = Decimal
S = AgreementState
BANGKOK = ZoneInfo("Asia/Bangkok")


def to_negotiation(agreement, cast):
    act(agreement, cast.planner, "propose")
    act(agreement, cast.member, "open_negotiation")
    return agreement


@pytest.fixture
def in_round(agreement, cast):
    """Negotiation with round 1 open: version 2, which the committee may change."""
    to_negotiation(agreement, cast)
    services.negotiation_round_start(actor=cast.member, agreement=agreement, note="รอบที่ 1")
    return agreement


@pytest.fixture
def member(client, cast):
    client.force_login(cast.member)
    return client


def edit_url(annex_row: AgreementKPI) -> str:
    return reverse("agreements:annex_kpi_edit", args=[annex_row.pk])


def annex_data(annex_row: AgreementKPI, **changes) -> dict:
    """The annex form as it opens for the row, with `changes` typed over it."""
    data = {
        "name_th": annex_row.name_th,
        "name_en": annex_row.name_en,
        "unit_th": annex_row.unit_th,
        "unit_en": annex_row.unit_en,
        "weight": f"{annex_row.weight.normalize():f}",
        "criteria_type": annex_row.criteria_type,
        "higher_is_better": str(annex_row.higher_is_better),
        "step_count": annex_row.step_count,
        "target": "" if annex_row.target is None else f"{annex_row.target.normalize():f}",
        "target_step": "",
    }
    for level in range(1, 6):
        value = getattr(annex_row, f"threshold_{level}")
        data[f"threshold_{level}"] = "" if value is None else f"{value.normalize():f}"
        data[f"step_{level}"] = getattr(annex_row, f"step_{level}")
    data.update(changes)
    return data


# --- RoundStart ----------------------------------------------------------------------------------


def test_round_start_opens_a_new_version_for_the_committee(member, agreement, cast, english):
    to_negotiation(agreement, cast)

    response = member.post(
        reverse("agreements:round_start", args=[agreement.pk]), {"note": "ปรับน้ำหนักมิติที่ 1"}
    )

    assert response.status_code == 302
    assert response.url == agreement.get_absolute_url()
    version = latest(agreement)
    assert (version.number, version.kind, version.note, version.created_by) == (
        2,
        VersionKind.NEGOTIATION_ROUND,
        "ปรับน้ำหนักมิติที่ 1",
        cast.member,
    )
    assert messages_of(member.get(response.url)) == [
        "Version 2 is open: the committee's changes of this round go into it."
    ]


def test_round_start_outside_negotiation_is_a_message(member, agreement, english):
    response = member.post(reverse("agreements:round_start", args=[agreement.pk]))

    assert response.status_code == 302
    assert agreement.versions.count() == 1
    assert messages_of(member.get(response.url)) == [
        "A negotiation round can only start during negotiation (the agreement is “Draft”)."
    ]


def test_round_start_is_refused_to_planners(client, agreement, cast):
    to_negotiation(agreement, cast)
    client.force_login(cast.planner)

    response = client.post(reverse("agreements:round_start", args=[agreement.pk]))

    assert response.status_code == 403
    assert agreement.versions.count() == 1


# --- VersionDiff ---------------------------------------------------------------------------------


def negotiate(agreement, cast):
    """A round's changes: weight moved, a threshold raised, a name reworded, a KPI added and one
    removed, and a clause edited."""
    version = latest(agreement)
    services.annex_kpi_update(actor=cast.member, row=row(version, "1.1"), weight=D("20"))
    services.annex_kpi_update(
        actor=cast.member,
        row=row(version, "1.2"),
        weight=D("25"),
        name_th="ระดับความสำเร็จของการพัฒนาระบบเฝ้าระวังภาวะโภชนาการ",
    )
    services.annex_kpi_update(actor=cast.member, row=row(version, "3.1"), threshold_3=D("66"))
    row(version, "2.1").delete()
    AgreementKPIFactory(
        version=version,
        code="2.2",
        name_th="ร้อยละความพึงพอใจของผู้รับบริการ",
        name_en="Service-user satisfaction",
        dimension_number=2,
        weight=15,
    )
    services.clauses_update(
        actor=cast.member,
        agreement=agreement,
        clauses_th=version.clauses_th.replace("1 ปี", "หนึ่งปี"),
        clauses_en=version.clauses_en,
    )


def test_diff_says_what_changed_in_which_kpi_and_in_the_clauses(member, in_round, cast, english):
    negotiate(in_round, cast)

    response = member.get(reverse("agreements:version_diff", args=[in_round.pk, 2]))

    assert response.status_code == 200
    assert item_texts(response, "kpi-changes") == [
        "Changed 1.1 KPI 1.1 Weight: 25 → 20",
        "Changed 1.2 KPI 1.2 Name (Thai): ระดับความสำเร็จของการพัฒนาระบบเฝ้าระวังโภชนาการ → "
        "ระดับความสำเร็จของการพัฒนาระบบเฝ้าระวังภาวะโภชนาการ Weight: 20 → 25",
        "Removed 2.1 KPI 2.1",
        "Added 2.2 Service-user satisfaction",
        "Changed 3.1 KPI 3.1 Level 3: 65 → 66",
    ]
    clauses = element_text(response, "clause-changes")
    assert clauses.startswith("Clauses (Thai) removed: − 2. คำรับรองนี้เป็นคำรับรองฝ่ายเดียว")
    assert "ใช้สำหรับระยะเวลา 1 ปี" in clauses
    assert "ใช้สำหรับระยะเวลา หนึ่งปี" in clauses
    assert "Clauses (English)" not in clauses
    assert element_text(response, "version-note") == "รอบที่ 1"


def test_diff_in_thai_names_the_kpis_in_thai(client, in_round, cast):
    negotiate(in_round, cast)
    client.force_login(cast.planner)

    response = client.get(reverse("agreements:version_diff", args=[in_round.pk, 2]))

    assert "ร้อยละของเด็กอายุ 0-5 ปี มีพัฒนาการสมวัย" in element_text(response, "change-1.1")
    assert "25 → 20" in element_text(response, "change-1.1")


def test_diff_of_an_unchanged_round_says_so(member, in_round, english):
    response = member.get(reverse("agreements:version_diff", args=[in_round.pk, 2]))

    assert element_text(response, "kpi-changes") == "No KPI changed."
    assert element_text(response, "clause-changes") == "The clauses did not change."


@pytest.mark.parametrize("number", [1, 3])
def test_diff_without_both_versions_is_not_found(member, in_round, number):
    response = member.get(reverse("agreements:version_diff", args=[in_round.pk, number]))

    assert response.status_code == 404


# --- AnnexKPIEdit --------------------------------------------------------------------------------


def test_annex_edit_opens_with_the_rows_terms_as_people_write_them(
    client, agreement, cast, english
):
    client.force_login(cast.planner)

    response = client.get(edit_url(row(latest(agreement), "1.1")))

    assert response.status_code == 200
    form = response.context["form"]
    assert [form[name].value() for name in ("weight", "target", "threshold_1", "threshold_5")] == [
        "25",
        "65",
        "55",
        "75",
    ]
    assert "KPI 1.1 of the annex" in text_of(response.content)


def test_annex_edit_saves_and_returns_to_the_kpi(client, in_round, cast, english):
    client.force_login(cast.member)
    annex_row = row(latest(in_round), "3.1")

    response = client.post(
        edit_url(annex_row),
        annex_data(annex_row, threshold_3="66", name_en="Budget disbursement (%)"),
    )

    assert response.status_code == 302
    assert response.url == f"{in_round.get_absolute_url()}#annex-3.1"
    annex_row.refresh_from_db()
    assert (annex_row.threshold_3, annex_row.name_en) == (D("66"), "Budget disbursement (%)")
    assert messages_of(client.get(response.url)) == ["KPI 3.1 has been saved in version 2."]
    # The round's own version changed; the version it came from did not.
    assert row(in_round.versions.get(number=1), "3.1").threshold_3 == D("65")


def test_annex_edit_fills_thresholds_from_target_and_step(client, agreement, cast, english):
    client.force_login(cast.planner)
    annex_row = row(latest(agreement), "1.1")
    data = annex_data(annex_row, target="80", target_step="2.5")
    data.update({f"threshold_{level}": "" for level in range(1, 6)})

    response = client.post(edit_url(annex_row), data)

    assert response.status_code == 302
    annex_row.refresh_from_db()
    assert annex_row.thresholds == (D("75"), D("77.5"), D("80"), D("82.5"), D("85"))


def test_annex_edit_thresholds_out_of_order_are_named_at_the_level_with_input_kept(
    client, agreement, cast, english
):
    client.force_login(cast.planner)
    annex_row = row(latest(agreement), "1.1")

    response = client.post(
        edit_url(annex_row), annex_data(annex_row, threshold_4="60", name_en="Typed name")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "threshold_4": [
            "Thresholds must rise strictly when higher is better: level 3 (65) and level 4 (60)."
        ]
    }
    html = response.content.decode()
    assert 'name="threshold_4" value="60"' in html
    assert 'name="name_en" value="Typed name"' in html
    annex_row.refresh_from_db()
    assert annex_row.threshold_4 == D("70")


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"weight": "120"}, {"weight": ["Ensure this value is less than or equal to 100."]}),
        ({"threshold_2": "6o"}, {"threshold_2": ["Type a number, such as 1,234.5."]}),
        ({"name_th": ""}, {"name_th": ["This field is required."]}),
    ],
)
def test_annex_edit_shape_errors_are_at_the_field(
    client, agreement, cast, english, changes, errors
):
    client.force_login(cast.planner)
    annex_row = row(latest(agreement), "1.1")

    response = client.post(edit_url(annex_row), annex_data(annex_row, **changes))

    assert response.status_code == 200
    assert response.context["form"].errors == errors


def test_annex_edit_of_a_milestone_needs_each_step(client, agreement, cast, english):
    client.force_login(cast.planner)
    annex_row = row(latest(agreement), "1.2")

    response = client.post(edit_url(annex_row), annex_data(annex_row, step_4=""))

    assert response.context["form"].errors == {"step_4": ["Describe the step of level 4."]}


def test_annex_edit_of_a_composite_offers_only_wording_and_weight(client, agreement, cast, english):
    composite = AgreementKPIFactory(
        version=latest(agreement),
        code="5",
        criteria_type=CriteriaType.COMPOSITE,
        threshold_1=None,
        threshold_2=None,
        threshold_3=None,
        threshold_4=None,
        threshold_5=None,
    )
    client.force_login(cast.planner)

    page = client.get(edit_url(composite))
    saved = client.post(
        edit_url(composite),
        {"name_th": "ตัวชี้วัดรวม", "name_en": "", "unit_th": "", "unit_en": "", "weight": "3"},
    )

    assert set(page.context["form"].fields) == {
        "name_th",
        "name_en",
        "unit_th",
        "unit_en",
        "weight",
    }
    assert saved.status_code == 302
    composite.refresh_from_db()
    assert (composite.name_th, composite.weight) == ("ตัวชี้วัดรวม", D("3"))


def test_annex_edit_follows_who_may_change_the_content(client, agreement, cast):
    original = row(latest(agreement), "1.1")
    to_negotiation(agreement, cast)

    client.force_login(cast.member)
    before_round = client.get(edit_url(original)).status_code
    services.negotiation_round_start(actor=cast.member, agreement=agreement)
    earlier_version = client.get(edit_url(original)).status_code
    round_row = client.get(edit_url(row(latest(agreement), "1.1"))).status_code
    client.force_login(cast.planner)
    planner_in_negotiation = client.get(edit_url(row(latest(agreement), "1.1"))).status_code

    assert (before_round, earlier_version, round_row, planner_in_negotiation) == (
        403,
        403,
        200,
        403,
    )


def test_annex_edit_of_another_ministry_is_not_found(client, agreement, other_admin):
    client.force_login(other_admin)

    assert client.get(edit_url(row(latest(agreement), "1.1"))).status_code == 404


# --- KPIThread -----------------------------------------------------------------------------------


def thread_url(agreement, code: str = "1.1") -> str:
    return reverse("agreements:kpi_thread", args=[agreement.pk, code])


def test_thread_lists_the_comments_of_the_kpi_across_versions(member, agreement, cast, english):
    services.kpi_comment_add(
        actor=cast.planner, agreement=agreement, kpi_code="1.1", text="ขอเสนอน้ำหนัก 25"
    )
    to_negotiation(agreement, cast)
    services.negotiation_round_start(actor=cast.member, agreement=agreement)
    services.kpi_comment_add(
        actor=cast.member, agreement=agreement, kpi_code="1.1", text="เสนอลดเหลือ 20"
    )
    services.kpi_comment_add(actor=cast.member, agreement=agreement, kpi_code="2.1", text="อื่น")
    for minute, comment in enumerate(KPIComment.objects.order_by("id")):
        KPIComment.objects.filter(pk=comment.pk).update(
            created_at=datetime(2008, 11, 5, 14, minute, tzinfo=BANGKOK)
        )

    response = member.get(thread_url(agreement))

    assert response.status_code == 200
    assert item_texts(response, "comments") == [
        f"{cast.planner.display_name} · 5 Nov 2008 14:00 · version 1 ขอเสนอน้ำหนัก 25",
        f"{cast.member.display_name} · 5 Nov 2008 14:01 · version 2 เสนอลดเหลือ 20",
    ]
    assert element_text(response, "thread-heading") == "2 comments"
    assert 'id="comment-form"' in response.content.decode()


def test_thread_comment_without_js_is_added_and_comes_back(member, agreement, cast, english):
    response = member.post(thread_url(agreement), {"text": "  ควรปรับเกณฑ์ระดับ 3  "})

    assert response.status_code == 302
    assert response.url == thread_url(agreement)
    comment = KPIComment.objects.get()
    assert (comment.author, comment.kpi_code, comment.text, comment.version.number) == (
        cast.member,
        "1.1",
        "ควรปรับเกณฑ์ระดับ 3",
        1,
    )
    assert messages_of(member.get(response.url)) == ["Your comment has been added."]


def test_thread_comment_with_htmx_replaces_the_thread(member, agreement, english):
    response = member.post(
        thread_url(agreement), {"text": "ควรปรับเกณฑ์ระดับ 3"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="kpi-thread"')
    assert "<html" not in html
    assert item_texts(response, "comments")[0].endswith("ควรปรับเกณฑ์ระดับ 3")
    assert "></textarea>" in html  # the form is empty again for the next comment
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("htmx", [False, True])
def test_thread_empty_comment_is_refused_at_the_field(member, agreement, english, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = member.post(thread_url(agreement), {"text": ""}, **headers)

    assert response.status_code == 200
    assert response.context["form"].errors == {"text": ["This field is required."]}
    assert not KPIComment.objects.exists()


def test_thread_is_read_only_for_a_unit_head(client, agreement, unit_head):
    client.force_login(unit_head)

    page = client.get(thread_url(agreement))
    post = client.post(thread_url(agreement), {"text": "ความเห็น"})

    assert page.status_code == 200
    assert 'id="comment-form"' not in page.content.decode()
    assert post.status_code == 403
    assert not KPIComment.objects.exists()


def test_thread_of_an_unknown_code_is_not_found(member, agreement):
    assert member.get(thread_url(agreement, "9.9")).status_code == 404


def test_thread_of_a_closed_agreement_refuses_with_the_reason(member, agreement, english):
    set_state(agreement, S.CLOSED)

    response = member.post(thread_url(agreement), {"text": "ความเห็น"})

    assert response.context["form"].errors == {
        "text": ["The agreement is “Closed”: its threads are closed."]
    }
