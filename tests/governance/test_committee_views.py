"""Committee pages: the permission ladder, the list's content and query count, the forms."""

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext, override
from pytest_django.asserts import assertContains, assertNotContains

from governance.enums import CommitteeKind, CommitteePosition, Role
from governance.models import Committee, CommitteeMember
from tests.conftest import make_person
from tests.factories import CommitteeFactory, CommitteeMemberFactory, UserFactory


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def thai(text: str) -> str:
    with override("th"):
        return gettext(text)


def thai_label(label) -> str:
    with override("th"):
        return str(label)


@pytest.fixture
def committee(tree):
    return CommitteeFactory(
        organisation=tree.department,
        kind=CommitteeKind.NEGOTIATION,
        name_th="คณะกรรมการเจรจาข้อตกลงและประเมินผล กรมอนามัย",
        name_en="DoH negotiation and evaluation committee",
        appointed_by_th="ปลัดกระทรวงสาธารณสุข",
        appointed_by_en="Permanent Secretary",
        order_reference="1234/2551",
        appointed_on=date(2008, 10, 15),
        duties_th="เจรจาตัวชี้วัดและค่าเป้าหมาย",
    )


@pytest.fixture
def member(committee):
    person = UserFactory(username="expert", name_th="นายผู้ทรง คุณวุฒิ", name_en="Mr Expert")
    return CommitteeMemberFactory(
        committee=committee,
        user=person,
        position=CommitteePosition.MEMBER,
        capacity_th="ผู้ทรงคุณวุฒิ",
        order=20,
    )


# --- The ladder ------------------------------------------------------------------------------------

PAGES = {
    # name: (url builder, method, who may see it besides admins, is it about one committee)
    "list": (lambda c, m: reverse("governance:committee_list"), "get", True, False),
    "create": (lambda c, m: reverse("governance:committee_create"), "get", False, False),
    "detail": (lambda c, m: reverse("governance:committee_detail", args=[c.pk]), "get", True, True),
    "edit": (lambda c, m: reverse("governance:committee_edit", args=[c.pk]), "get", False, True),
    "member_add": (
        lambda c, m: reverse("governance:committee_member_add", args=[c.pk]),
        "get",
        False,
        True,
    ),
    "member_edit": (
        lambda c, m: reverse("governance:committee_member_edit", args=[m.pk]),
        "get",
        False,
        True,
    ),
    "member_remove": (
        lambda c, m: reverse("governance:committee_member_remove", args=[m.pk]),
        "post",
        False,
        True,
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, committee, member, page):
    url_for, method, _, _ = PAGES[page]
    url = url_for(committee, member)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if spec[3]])
def test_an_admin_of_another_ministry_gets_404_on_a_committee(
    client, committee, member, other_admin, page
):
    url_for, method, _, _ = PAGES[page]
    client.force_login(other_admin)
    assert getattr(client, method)(url_for(committee, member)).status_code == 404


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if not spec[2]])
def test_a_unit_head_gets_403_on_manage_pages(client, committee, member, unit_head, page):
    url_for, method, _, _ = PAGES[page]
    client.force_login(unit_head)
    assert getattr(client, method)(url_for(committee, member)).status_code == 403
    assert CommitteeMember.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if spec[2]])
def test_a_unit_head_may_read_the_committees_above_them(client, committee, member, unit_head, page):
    url_for, method, _, _ = PAGES[page]
    client.force_login(unit_head)
    assert getattr(client, method)(url_for(committee, member)).status_code == 200


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if spec[1] == "get"])
def test_the_department_admin_opens_every_page(client, committee, member, department_admin, page):
    url_for, _, _, _ = PAGES[page]
    client.force_login(department_admin)
    assert client.get(url_for(committee, member)).status_code == 200


def test_a_member_from_another_ministry_sees_the_committee_they_sit_on(
    client, committee, other_admin
):
    CommitteeMemberFactory(committee=committee, user=other_admin)
    client.force_login(other_admin)
    assert client.get(committee.get_absolute_url()).status_code == 200
    # Sitting on it does not make them its administrator.
    assert client.get(reverse("governance:committee_edit", args=[committee.pk])).status_code == 403


# --- The list --------------------------------------------------------------------------------------


def test_list_groups_committees_by_organisation_and_kind_with_their_details(
    client, tree, committee, member, unit_head
):
    chair = UserFactory(username="chair", name_th="นายแพทย์ประธาน ใจดี")
    CommitteeMemberFactory(
        committee=committee, user=chair, position=CommitteePosition.CHAIR, order=10
    )
    oversight = CommitteeFactory(
        organisation=tree.department,
        kind=CommitteeKind.OVERSIGHT,
        name_th="คณะกรรมการกำกับดูแล",
        appointed_by_th="รัฐมนตรีว่าการกระทรวงสาธารณสุข",
        appointed_on=date(2008, 10, 1),
    )
    ministry_committee = CommitteeFactory(
        organisation=tree.ministry, name_th="คณะกรรมการระดับกระทรวง"
    )
    hidden = CommitteeFactory(organisation=tree.other_department, name_th="คณะกรรมการกรมธนารักษ์")
    client.force_login(unit_head)

    response = client.get(reverse("governance:committee_list"))

    content = response.content.decode()
    # Ministry before department (tree order); in the department, oversight before negotiation
    # (the order the deck appoints them), whatever the alphabet says.
    position = 0
    for expected in (
        ministry_committee.name_th,
        f'id="committees-{tree.department.pk}">กรมอนามัย',
        thai_label(CommitteeKind.OVERSIGHT.label),
        oversight.name_th,
        thai_label(CommitteeKind.NEGOTIATION.label),
        committee.name_th,
    ):
        position = content.index(expected, position)  # each after the one before
    assertNotContains(response, hidden.name_th)
    assertContains(
        response,
        f'<tr><th scope="row" class="fw-normal"><a href="{committee.get_absolute_url()}">{committee.name_th}</a></th>'
        "<td>ปลัดกระทรวงสาธารณสุข</td>"
        '<td class="text-nowrap"><time datetime="2008-10-15">15 ต.ค. 2551</time></td>'
        "<td>นายแพทย์ประธาน ใจดี</td>"
        '<td class="text-end">2</td></tr>',
        html=True,
    )
    # No chair, no members.
    assertContains(
        response,
        f'<tr><th scope="row" class="fw-normal"><a href="{oversight.get_absolute_url()}">{oversight.name_th}</a></th>'
        "<td>รัฐมนตรีว่าการกระทรวงสาธารณสุข</td>"
        '<td class="text-nowrap"><time datetime="2008-10-01">1 ต.ค. 2551</time></td>'
        "<td>—</td>"
        '<td class="text-end">0</td></tr>',
        html=True,
    )


def test_list_in_english_shows_english_names_and_christian_era_dates(
    client, committee, member, unit_head
):
    client.force_login(unit_head)
    response = in_english(client).get(reverse("governance:committee_list"))
    assertContains(response, "DoH negotiation and evaluation committee")
    assertContains(response, "<td>Permanent Secretary</td>", html=True)
    assertContains(response, '<time datetime="2008-10-15">15 Oct 2008</time>', html=True)
    assertContains(response, "Negotiation and evaluation committee")


def test_list_offers_the_create_button_to_admins_only(
    client, committee, department_admin, unit_head
):
    create = f'href="{reverse("governance:committee_create")}"'
    client.force_login(department_admin)
    assertContains(client.get(reverse("governance:committee_list")), create)
    client.force_login(unit_head)
    assertNotContains(client.get(reverse("governance:committee_list")), create)


def test_list_says_so_when_there_is_nothing_to_see(client, other_admin, committee):
    client.force_login(other_admin)
    assertContains(
        in_english(client).get(reverse("governance:committee_list")),
        "No committees that you can see.",
    )


def _committees_with_members(tree, count: int) -> None:
    for index in range(count):
        committee = CommitteeFactory(
            organisation=tree.department if index % 2 else tree.planning_unit,
            kind=CommitteeKind.values[index % 4],
        )
        CommitteeMemberFactory(committee=committee, position=CommitteePosition.CHAIR)
        CommitteeMemberFactory.create_batch(2, committee=committee)


def test_list_query_count_does_not_grow_with_the_committees(
    client, tree, department_admin, django_assert_max_num_queries
):
    client.force_login(department_admin)
    _committees_with_members(tree, 2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("governance:committee_list")).status_code == 200

    _committees_with_members(tree, 10)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(reverse("governance:committee_list"))
    assert sum(len(rows) for _, kinds in response.context["groups"] for _, rows in kinds) == 12


# --- The detail page -------------------------------------------------------------------------------


def test_detail_lists_members_in_order_with_positions_and_capacity(
    client, committee, member, department_admin
):
    chair = UserFactory(username="chair", name_en="Dr Chair", position_en="Director-General")
    CommitteeMemberFactory(
        committee=committee, user=chair, position=CommitteePosition.CHAIR, order=10
    )
    secretary = UserFactory(username="secretary", name_en="Ms Secretary")
    CommitteeMemberFactory(
        committee=committee, user=secretary, position=CommitteePosition.SECRETARY, order=30
    )
    client.force_login(department_admin)

    response = in_english(client).get(committee.get_absolute_url())

    content = response.content.decode()
    assert content.index("Dr Chair") < content.index("Mr Expert") < content.index("Ms Secretary")
    assertContains(response, "<td>Chair</td>", html=True)
    assertContains(response, "<td>Member and secretary</td>", html=True)
    assertContains(response, "<td>ผู้ทรงคุณวุฒิ</td>", html=True)
    assertContains(
        response, '<small class="text-body-secondary">Director-General</small>', html=True
    )
    assertContains(response, '<time datetime="2008-10-15">15 October 2008</time>', html=True)
    assertContains(response, "1234/2551")
    assertContains(response, "เจรจาตัวชี้วัดและค่าเป้าหมาย")
    assertContains(response, reverse("governance:committee_edit", args=[committee.pk]))
    assertContains(response, reverse("governance:committee_member_add", args=[committee.pk]))
    assertContains(response, reverse("governance:committee_member_edit", args=[member.pk]))
    assertContains(response, 'data-confirm="Remove Mr Expert from this committee?"')


def test_detail_shows_the_appointment_date_in_the_buddhist_era(client, committee, unit_head):
    client.force_login(unit_head)
    assertContains(
        client.get(committee.get_absolute_url()),
        '<time datetime="2008-10-15">15 ตุลาคม 2551</time>',
        html=True,
    )


def test_detail_hides_the_admin_buttons_from_readers(client, committee, member, unit_head):
    client.force_login(unit_head)
    response = client.get(committee.get_absolute_url())
    assertContains(response, "นายผู้ทรง คุณวุฒิ")
    assertNotContains(response, reverse("governance:committee_edit", args=[committee.pk]))
    assertNotContains(response, reverse("governance:committee_member_remove", args=[member.pk]))


def test_detail_links_the_appointing_and_appointed_committees(
    client, tree, committee, department_admin
):
    oversight = CommitteeFactory(
        organisation=tree.department, kind=CommitteeKind.OVERSIGHT, name_en="Oversight"
    )
    Committee.objects.filter(pk=committee.pk).update(appointing_committee=oversight)
    client.force_login(department_admin)

    assertContains(
        in_english(client).get(committee.get_absolute_url()),
        f'<a href="{oversight.get_absolute_url()}">Oversight</a>',
        html=True,
    )
    assertContains(
        client.get(oversight.get_absolute_url()),
        f'<li><a href="{committee.get_absolute_url()}">DoH negotiation and evaluation committee</a></li>',
        html=True,
    )


# --- Create and edit -------------------------------------------------------------------------------

VALID = {
    "kind": CommitteeKind.WORKING_GROUP,
    "name_th": "คณะทำงานจัดทำคำรับรองการปฏิบัติราชการ",
    "name_en": "Agreement drafting working group",
    "appointed_by_th": "คณะกรรมการเจรจาข้อตกลง",
    "appointed_by_en": "",
    "order_reference": "12/2551",
    "appointed_on": "1/11/2551",
    "duties_th": "จัดทำร่างคำรับรองและตรวจเยี่ยม",
    "duties_en": "",
}


def test_create_appoints_a_committee_for_an_organisation_in_the_admins_scope(
    client, tree, committee, department_admin
):
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:committee_create"),
        {**VALID, "organisation": tree.planning_unit.pk, "appointing_committee": committee.pk},
    )

    created = Committee.objects.get(name_th=VALID["name_th"])
    assert response.status_code == 302
    assert response.url == created.get_absolute_url()
    assert (
        created.organisation,
        created.kind,
        created.appointed_on,
        created.appointing_committee,
    ) == (
        tree.planning_unit,
        CommitteeKind.WORKING_GROUP,
        date(2008, 11, 1),
        committee,
    )
    assert (created.order_reference, created.duties_th) == ("12/2551", "จัดทำร่างคำรับรองและตรวจเยี่ยม")


def test_create_offers_only_organisations_the_user_administers(client, tree, department_admin):
    client.force_login(department_admin)
    response = client.get(reverse("governance:committee_create"))
    offered = list(response.context["form"].fields["organisation"].queryset)
    assert offered == [tree.department, tree.planning_unit, tree.secretary_office]


def test_create_refuses_an_organisation_out_of_scope(client, tree, department_admin):
    client.force_login(department_admin)
    response = in_english(client).post(
        reverse("governance:committee_create"),
        {**VALID, "organisation": tree.other_department.pk, "appointed_on": "1/11/2008"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organisation": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert not Committee.objects.filter(name_th=VALID["name_th"]).exists()


def test_create_with_an_impossible_date_keeps_what_was_typed(client, tree, department_admin):
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:committee_create"),
        {**VALID, "organisation": tree.department.pk, "appointed_on": "31/02/2552"},
    )
    assert response.status_code == 200
    assertContains(response, thai("This day does not exist in that month."))
    assertContains(response, 'value="31/02/2552"')
    assertContains(response, f'value="{VALID["name_th"]}"')
    assertContains(response, 'value="12/2551"')
    assertContains(response, f'<option value="{tree.department.pk}" selected>', html=False)
    assert not Committee.objects.filter(name_th=VALID["name_th"]).exists()


def test_create_refuses_markup_in_names(client, tree, department_admin):
    client.force_login(department_admin)
    response = in_english(client).post(
        reverse("governance:committee_create"),
        {
            **VALID,
            "organisation": tree.department.pk,
            "name_th": "<b>คณะ</b>",
            "appointed_on": "1/11/2008",
        },
    )
    assert response.context["form"].errors == {
        "name_th": ["Please remove the HTML tags or entities from this text."]
    }


def test_create_preselects_the_organisation_from_the_query(client, tree, department_admin):
    client.force_login(department_admin)
    response = client.get(
        reverse("governance:committee_create") + f"?organisation={tree.planning_unit.pk}"
    )
    assertContains(response, f'<option value="{tree.planning_unit.pk}" selected>')


def test_edit_shows_the_committee_as_it_is(client, committee, department_admin):
    client.force_login(department_admin)
    response = client.get(reverse("governance:committee_edit", args=[committee.pk]))
    assertContains(response, 'value="15/10/2551"')
    assertContains(response, 'value="1234/2551"')
    # A committee cannot appoint itself: it is not offered.
    assert committee not in response.context["form"].fields["appointing_committee"].queryset


def test_edit_saves_the_changes(client, committee, department_admin):
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:committee_edit", args=[committee.pk]),
        {**VALID, "appointing_committee": ""},
    )
    assert response.status_code == 302
    assert response.url == committee.get_absolute_url()
    committee.refresh_from_db()
    assert (committee.name_th, committee.appointed_on, committee.kind) == (
        VALID["name_th"],
        date(2008, 11, 1),
        CommitteeKind.WORKING_GROUP,
    )


def test_edit_refuses_an_appointment_loop(client, tree, committee, department_admin):
    appointed = CommitteeFactory(organisation=tree.department, appointing_committee=committee)
    client.force_login(department_admin)
    response = client.post(
        reverse("governance:committee_edit", args=[committee.pk]),
        {**VALID, "appointing_committee": appointed.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["appointing_committee"] == [
        thai("A committee cannot be appointed by itself or by a committee it appointed.")
    ]
    committee.refresh_from_db()
    assert committee.appointing_committee is None


# --- Members ---------------------------------------------------------------------------------------


def test_member_add_seats_an_outside_expert(client, tree, committee, department_admin):
    expert = UserFactory(username="outside_expert", name_th="ศาสตราจารย์ผู้เชี่ยวชาญ")
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:committee_member_add", args=[committee.pk]),
        {
            "user": expert.pk,
            "position": CommitteePosition.MEMBER,
            "capacity_th": "ผู้ทรงคุณวุฒิภายนอก",
            "capacity_en": "External expert",
            "order": "",
        },
    )

    assert response.status_code == 302
    assert response.url == committee.get_absolute_url()
    seat = CommitteeMember.objects.get(committee=committee, user=expert)
    assert (seat.position, seat.capacity_th, seat.capacity_en, seat.order) == (
        CommitteePosition.MEMBER,
        "ผู้ทรงคุณวุฒิภายนอก",
        "External expert",
        10,
    )


def test_member_add_offers_the_people_the_admin_can_see(client, tree, committee, department_admin):
    colleague = make_person(tree.secretary_office, Role.UNIT_HEAD, username="sec_head")
    stranger = make_person(tree.other_department, Role.UNIT_HEAD, username="trd_head")
    client.force_login(department_admin)
    people = set(
        client.get(reverse("governance:committee_member_add", args=[committee.pk]))
        .context["form"]
        .fields["user"]
        .queryset
    )
    assert colleague in people
    assert department_admin in people
    assert stranger not in people


def test_member_add_refuses_a_second_chair(client, committee, department_admin):
    CommitteeMemberFactory(committee=committee, position=CommitteePosition.CHAIR)
    newcomer = UserFactory(username="newcomer")
    client.force_login(department_admin)
    response = in_english(client).post(
        reverse("governance:committee_member_add", args=[committee.pk]),
        {"user": newcomer.pk, "position": CommitteePosition.CHAIR, "capacity_th": "ประธาน"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["position"] == ["This committee already has a chair."]
    assertContains(response, 'value="ประธาน"')


def test_member_add_refuses_someone_already_seated(client, committee, member, department_admin):
    client.force_login(department_admin)
    response = in_english(client).post(
        reverse("governance:committee_member_add", args=[committee.pk]),
        {"user": member.user.pk, "position": CommitteePosition.MEMBER},
    )
    assert response.context["form"].errors["user"] == [
        "Mr Expert is already a member of this committee."
    ]
    assert committee.members.count() == 1


def test_member_edit_changes_position_capacity_and_order(
    client, committee, member, department_admin
):
    client.force_login(department_admin)
    page = client.get(reverse("governance:committee_member_edit", args=[member.pk]))
    assertContains(page, 'value="ผู้ทรงคุณวุฒิ"')

    response = client.post(
        reverse("governance:committee_member_edit", args=[member.pk]),
        {
            "position": CommitteePosition.SECRETARY,
            "capacity_th": "เลขานุการ",
            "capacity_en": "",
            "order": "5",
        },
    )

    assert response.status_code == 302
    assert response.url == committee.get_absolute_url()
    member.refresh_from_db()
    assert (member.position, member.capacity_th, member.order) == (
        CommitteePosition.SECRETARY,
        "เลขานุการ",
        5,
    )


def test_member_remove_is_post_only(client, member, department_admin):
    client.force_login(department_admin)
    assert (
        client.get(reverse("governance:committee_member_remove", args=[member.pk])).status_code
        == 405
    )
    assert CommitteeMember.objects.filter(pk=member.pk).exists()


def test_member_remove_takes_the_seat_away(client, committee, member, department_admin):
    client.force_login(department_admin)
    response = in_english(client).post(
        reverse("governance:committee_member_remove", args=[member.pk]), follow=True
    )
    assert response.redirect_chain == [(committee.get_absolute_url(), 302)]
    assertContains(response, "The member has been removed from the committee.")
    assert not CommitteeMember.objects.filter(pk=member.pk).exists()
    assert member.user.__class__.objects.filter(pk=member.user.pk).exists()
