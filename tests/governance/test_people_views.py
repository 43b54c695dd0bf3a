"""The people and roles pages: the permission ladder of every URL, then each page's behaviour."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.enums import CommitteePosition, Role
from governance.models import Membership, User
from tests.conftest import make_person
from tests.factories import CommitteeFactory, CommitteeMemberFactory, MembershipFactory, UserFactory

# These tests read the English texts of labels and messages (Thai is tested elsewhere).
pytestmark = pytest.mark.usefixtures("english")

NEW_PASSWORD = "a long and unusual passphrase 42"


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the ladder -------------------------------------------------------------------------------------
# Every URL is about the unit head (or their role): the department admin manages them, the
# other ministry's admin cannot see them, and the unit head may not manage even themself.

PAGES = [
    # (url name, takes the person / the membership / nothing, method)
    ("governance:person_list", None, "get"),
    ("governance:person_create", None, "get"),
    ("governance:person_detail", "person", "get"),
    ("governance:person_edit", "person", "get"),
    ("governance:person_password", "person", "get"),
    ("governance:membership_create", "person", "get"),
    ("governance:membership_edit", "membership", "get"),
    ("governance:membership_delete", "membership", "post"),
]


def url_for(name: str, takes: str | None, person: User) -> str:
    if takes == "person":
        return reverse(name, args=[person.pk])
    if takes == "membership":
        return reverse(name, args=[person.memberships.get().pk])
    return reverse(name)


@pytest.mark.parametrize(("name", "takes", "method"), PAGES)
def test_anonymous_is_sent_to_log_in(client, unit_head, name, takes, method):
    url = url_for(name, takes, unit_head)

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "takes", "method"), [p for p in PAGES if p[1]])
def test_an_admin_of_another_ministry_gets_404(client, other_admin, unit_head, name, takes, method):
    client.force_login(other_admin)

    response = getattr(client, method)(url_for(name, takes, unit_head))

    assert response.status_code == 404
    assert Membership.objects.filter(user=unit_head).count() == 1


@pytest.mark.parametrize(("name", "takes", "method"), [p for p in PAGES if not p[1]])
def test_an_admin_of_another_ministry_may_open_the_pages_without_an_object(
    client, other_admin, unit_head, name, takes, method
):
    client.force_login(other_admin)

    assert client.get(url_for(name, takes, unit_head)).status_code == 200


@pytest.mark.parametrize(
    ("name", "takes", "method"), [p for p in PAGES if p[0] != "governance:person_detail"]
)
def test_a_unit_head_gets_403(client, unit_head, name, takes, method):
    client.force_login(unit_head)

    response = getattr(client, method)(url_for(name, takes, unit_head))

    assert response.status_code == 403
    assert Membership.objects.filter(user=unit_head).count() == 1


def test_a_unit_head_cannot_see_somebody_else(client, unit_head, department_admin):
    client.force_login(unit_head)

    response = client.get(reverse("governance:person_detail", args=[department_admin.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "takes", "method"), [p for p in PAGES if p[2] == "get"])
def test_the_department_admin_gets_200(client, department_admin, unit_head, name, takes, method):
    client.force_login(department_admin)

    assert client.get(url_for(name, takes, unit_head)).status_code == 200


def test_membership_delete_answers_only_post(client, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.get(
        reverse("governance:membership_delete", args=[unit_head.memberships.get().pk])
    )

    assert response.status_code == 405
    assert unit_head.memberships.count() == 1


def test_a_role_in_an_ancestor_organisation_is_visible_but_not_editable(
    client, tree, department_admin
):
    ministry_planner = make_person(tree.ministry, Role.PLANNING)
    membership = ministry_planner.memberships.get()
    client.force_login(department_admin)

    assert (
        client.get(reverse("governance:membership_edit", args=[membership.pk])).status_code == 403
    )
    assert (
        client.post(reverse("governance:membership_delete", args=[membership.pk])).status_code
        == 403
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_people_in_scope_with_their_roles(
    client, tree, department_admin, unit_head, other_admin
):
    unit_head.name_th, unit_head.name_en, unit_head.position_th = (
        "นางสาวมาลี ศรีสุข",
        "Malee Srisuk",
        "ผู้อำนวยการกองแผนงาน",
    )
    unit_head.save()
    client.force_login(department_admin)

    response = client.get(reverse("governance:person_list"))

    page = html(response)
    assert "นางสาวมาลี ศรีสุข" in page
    assert '<span class="small text-body-secondary" lang="en">Malee Srisuk</span>' in page
    assert "ผู้อำนวยการกองแผนงาน" in page
    assert "Unit head · กผ." in page
    assert "Administrator · อน." in page
    assert [p.username for p in response.context["people"]] == ["doh_admin", "plan_head"]
    assert "mof_admin" not in page


def test_the_list_shows_only_the_roles_the_admin_may_see(client, tree, department_admin, unit_head):
    MembershipFactory(user=unit_head, organisation=tree.other_department, role=Role.AUDITOR)
    client.force_login(department_admin)

    page = html(client.get(reverse("governance:person_list")))

    assert "Unit head · กผ." in page
    assert "ธร." not in page


def test_the_list_shows_people_without_a_role_to_every_admin(client, other_admin):
    UserFactory(username="newcomer", name_th="นายมาใหม่ ยังไม่มีบทบาท")
    client.force_login(other_admin)

    page = html(client.get(reverse("governance:person_list")))

    assert "นายมาใหม่ ยังไม่มีบทบาท" in page
    assert "No role yet" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plan_h", ["plan_head"]),
        ("มาลี", ["plan_head"]),
        ("srisuk", ["plan_head"]),
        ("doh_", ["doh_admin", "doh_planner"]),
        ("nobody-like-this", []),
    ],
)
def test_the_list_searches_user_names_and_both_names(
    client, department_admin, unit_head, planning_officer, query, expected
):
    User.objects.filter(pk=unit_head.pk).update(name_th="นางสาวมาลี ศรีสุข", name_en="Malee Srisuk")
    client.force_login(department_admin)

    response = client.get(reverse("governance:person_list"), {"q": query})

    assert [p.username for p in response.context["people"]] == expected


def test_the_list_filters_by_organisation_with_its_units(client, tree, department_admin, unit_head):
    make_person(tree.secretary_office, Role.KPI_OWNER, username="sec_owner")
    client.force_login(department_admin)

    in_planning = client.get(
        reverse("governance:person_list"), {"organisation": tree.planning_unit.pk}
    )
    in_department = client.get(
        reverse("governance:person_list"), {"organisation": tree.department.pk}
    )

    assert [p.username for p in in_planning.context["people"]] == ["plan_head"]
    assert [p.username for p in in_department.context["people"]] == [
        "doh_admin",
        "plan_head",
        "sec_owner",
    ]


def test_the_list_filters_role_and_organisation_on_the_same_membership(
    client, tree, department_admin
):
    # A unit head of สลก. who is a KPI owner in กองแผนงาน is not "unit head in กองแผนงาน".
    person = make_person(tree.secretary_office, Role.UNIT_HEAD, username="sec_head")
    MembershipFactory(user=person, organisation=tree.planning_unit, role=Role.KPI_OWNER)
    client.force_login(department_admin)

    response = client.get(
        reverse("governance:person_list"),
        {"organisation": tree.planning_unit.pk, "role": Role.UNIT_HEAD},
    )

    assert list(response.context["people"]) == []
    assert "Nobody matches this search." in html(response)


def test_the_list_offers_only_organisations_the_admin_manages(client, tree, department_admin):
    client.force_login(department_admin)

    response = client.get(reverse("governance:person_list"))

    field = response.context["filter_form"].fields["organisation"]
    assert list(field.queryset) == [tree.department, tree.planning_unit, tree.secretary_office]
    # Indented below the top of the admin's scope, so the list reads as a tree.
    assert [label for _, label in field.choices] == [
        "All organisations",
        "Department of Health (อน.)",
        "\u00a0\u00a0\u00a0Planning Division (กผ.)",
        "\u00a0\u00a0\u00a0Office of the Secretary (สลก.)",
    ]


def test_the_list_ignores_an_organisation_out_of_scope(client, tree, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.get(
        reverse("governance:person_list"), {"organisation": tree.other_department.pk}
    )

    assert response.status_code == 200
    assert [p.username for p in response.context["people"]] == ["doh_admin", "plan_head"]


def test_an_htmx_search_answers_with_the_table_only(client, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.get(
        reverse("governance:person_list"), {"q": "plan"}, headers={"HX-Request": "true"}
    )

    page = html(response)
    assert "<html" not in page
    assert f'href="{unit_head.get_absolute_url()}"' in page
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, department_admin):
    client.force_login(department_admin)

    response = client.get(
        reverse("governance:person_list"),
        {"q": "plan"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in html(response)


def test_the_list_is_paginated_by_50(client, tree, department_admin):
    for number in range(51):
        make_person(tree.planning_unit, Role.KPI_OWNER, username=f"owner{number:02d}")
    client.force_login(department_admin)

    first = client.get(reverse("governance:person_list"), {"q": "owner"})
    second = client.get(reverse("governance:person_list"), {"q": "owner", "page": 2})

    assert len(first.context["people"]) == 50
    assert '<a class="page-link" href="?q=owner&amp;page=2">' in html(first)
    assert [p.username for p in second.context["people"]] == ["owner50"]


def _list_queries(client, admin) -> int:
    client.force_login(admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("governance:person_list"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_the_people(
    client, tree, department_admin, django_assert_max_num_queries
):
    for number in range(3):
        person = make_person(tree.planning_unit, Role.KPI_OWNER, username=f"few{number}")
        MembershipFactory(user=person, organisation=tree.secretary_office, role=Role.DATA_COLLECTOR)
    with_three = _list_queries(client, department_admin)
    for number in range(27):
        person = make_person(tree.planning_unit, Role.KPI_OWNER, username=f"many{number}")
        MembershipFactory(user=person, organisation=tree.secretary_office, role=Role.DATA_COLLECTOR)

    client.force_login(department_admin)
    with django_assert_max_num_queries(with_three):
        response = client.get(reverse("governance:person_list"))

    assert len(response.context["people"]) == 31


# --- creating a person ------------------------------------------------------------------------------


def create_data(tree, **overrides) -> dict:
    return {
        "username": "somchai",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "name_th": "นายสมชาย ใจดี",
        "name_en": "Somchai Jaidee",
        "position_th": "นักวิเคราะห์นโยบายและแผน",
        "position_en": "Policy and plan analyst",
        "phone": "02 590 4000",
        "email": "somchai@anamai.go.th",
        "language": "th",
        "organisation": tree.planning_unit.pk,
        "role": Role.KPI_OWNER,
        **overrides,
    }


def test_an_admin_adds_a_person_with_a_first_role(client, tree, department_admin):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_create"), create_data(tree, includes_descendants="on")
    )

    person = User.objects.get(username="somchai")
    assert response.status_code == 302
    assert response.url == reverse("governance:person_detail", args=[person.pk])
    assert (person.name_th, person.name_en, person.position_en, person.phone, person.email) == (
        "นายสมชาย ใจดี",
        "Somchai Jaidee",
        "Policy and plan analyst",
        "02 590 4000",
        "somchai@anamai.go.th",
    )
    assert person.check_password(NEW_PASSWORD)
    assert [(m.organisation, m.role, m.includes_descendants) for m in person.memberships.all()] == [
        (tree.planning_unit, Role.KPI_OWNER, True)
    ]
    assert messages_of(client.get(response.url)) == ["The person has been added."]


def test_a_taken_user_name_is_shown_at_the_field_and_keeps_the_input(
    client, tree, department_admin
):
    make_person(tree.planning_unit, Role.KPI_OWNER, username="somchai")
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_create"), create_data(tree, username="SOMCHAI")
    )

    page = html(response)
    assert response.status_code == 200
    assert response.context["form"].errors == {"username": ["This user name is taken."]}
    assert 'value="SOMCHAI"' in page
    assert 'value="นายสมชาย ใจดี"' in page
    assert 'value="Somchai Jaidee"' in page
    assert 'value="02 590 4000"' in page
    assert f'<option value="{tree.planning_unit.pk}" selected>' in page
    assert User.objects.filter(username__iexact="somchai").count() == 1


def test_two_different_passwords_are_refused(client, tree, department_admin):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_create"),
        create_data(tree, password_confirm="something else entirely"),
    )

    assert response.context["form"].errors == {
        "password_confirm": ["The two passwords are not the same."]
    }
    assert not User.objects.filter(username="somchai").exists()


def test_a_weak_password_is_shown_at_the_password_field(client, tree, department_admin):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_create"),
        create_data(tree, password="12345678", password_confirm="12345678"),
    )

    assert list(response.context["form"].errors) == ["password"]
    assert "This password is too common." in response.context["form"].errors["password"][0]
    assert not User.objects.filter(username="somchai").exists()


def test_html_in_a_name_is_refused(client, tree, department_admin):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_create"), create_data(tree, name_th="<b>สมชาย</b>")
    )

    assert response.context["form"].errors == {
        "name_th": ["Please remove the HTML tags or entities from this text."]
    }


def test_a_first_role_outside_the_admin_scope_cannot_be_chosen(client, tree, department_admin):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_create"),
        create_data(tree, organisation=tree.other_department.pk),
    )

    assert list(response.context["form"].errors) == ["organisation"]
    assert not User.objects.filter(username="somchai").exists()


# --- the profile page -------------------------------------------------------------------------------


def test_the_admin_sees_the_profile_roles_and_committee_seats(
    client, tree, department_admin, unit_head
):
    committee = CommitteeFactory(
        organisation=tree.department,
        name_th="คณะทำงานจัดทำคำรับรอง กรมอนามัย",
        name_en="Drafting working group, Department of Health",
    )
    CommitteeMemberFactory(
        committee=committee, user=unit_head, position=CommitteePosition.SECRETARY
    )
    membership = unit_head.memberships.get()
    client.force_login(department_admin)

    response = client.get(reverse("governance:person_detail", args=[unit_head.pk]))

    page = html(response)
    assert f'<h1 class="h3 mb-0">{unit_head.name_th}</h1>' in page
    assert f"<code>{unit_head.username}</code>" in page
    assert "Drafting working group, Department of Health</a> · Member and secretary" in page
    assert f'<a href="{tree.planning_unit.get_absolute_url()}">Planning Division</a>' in page
    assert reverse("governance:person_edit", args=[unit_head.pk]) in page
    assert reverse("governance:membership_create", args=[unit_head.pk]) in page
    assert reverse("governance:membership_edit", args=[membership.pk]) in page
    assert f'action="{reverse("governance:membership_delete", args=[membership.pk])}"' in page
    assert 'data-confirm="Remove the role “Unit head” in Planning Division?"' in page


def test_a_person_sees_their_own_profile_without_admin_buttons(client, unit_head):
    client.force_login(unit_head)

    response = client.get(reverse("governance:person_detail", args=[unit_head.pk]))

    page = html(response)
    assert response.status_code == 200
    assert unit_head.name_th in page
    assert "Unit head" in page
    assert reverse("governance:person_edit", args=[unit_head.pk]) not in page
    assert "/roles/" not in page
    assert f'href="{reverse("governance:person_list")}"' not in page
    assert reverse("password_change") in page


def test_the_profile_hides_committee_seats_out_of_the_viewers_sight(
    client, tree, department_admin, unit_head
):
    other_committee = CommitteeFactory(
        organisation=tree.other_ministry, name_th="คณะกรรมการของกระทรวงการคลัง"
    )
    CommitteeMemberFactory(committee=other_committee, user=unit_head)
    client.force_login(department_admin)

    page = html(client.get(reverse("governance:person_detail", args=[unit_head.pk])))

    assert "คณะกรรมการของกระทรวงการคลัง" not in page
    assert "No committee seat." in page


# --- editing a profile and setting a password --------------------------------------------------------


def test_the_admin_edits_a_profile(client, department_admin, unit_head):
    client.force_login(department_admin)
    data = {
        "name_th": "นางสาวมาลี ศรีสุข",
        "name_en": "Malee Srisuk",
        "position_th": "ผู้อำนวยการ",
        "position_en": "",
        "phone": "",
        "email": "malee@anamai.go.th",
        "language": "en",
    }

    response = client.post(reverse("governance:person_edit", args=[unit_head.pk]), data)

    unit_head.refresh_from_db()
    assert response.status_code == 302
    assert response.url == unit_head.get_absolute_url()
    assert (unit_head.name_th, unit_head.email, unit_head.language, unit_head.is_active) == (
        "นางสาวมาลี ศรีสุข",
        "malee@anamai.go.th",
        "en",
        False,
    )


def test_the_edit_form_starts_from_the_saved_profile(client, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.get(reverse("governance:person_edit", args=[unit_head.pk]))

    assert response.context["form"].initial["name_th"] == unit_head.name_th
    assert response.context["form"].initial["is_active"] is True
    assert f'value="{unit_head.name_en}"' in html(response)


def test_an_admin_cannot_deactivate_themself_and_keeps_the_input(client, department_admin):
    client.force_login(department_admin)
    data = {
        "name_th": "ชื่อใหม่ของผู้ดูแล",
        "name_en": "",
        "position_th": "",
        "position_en": "",
        "phone": "",
        "email": "",
        "language": "th",
    }

    response = client.post(reverse("governance:person_edit", args=[department_admin.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "is_active": ["You cannot deactivate your own account."]
    }
    assert 'value="ชื่อใหม่ของผู้ดูแล"' in html(response)
    department_admin.refresh_from_db()
    assert department_admin.is_active is True
    assert department_admin.name_th != "ชื่อใหม่ของผู้ดูแล"


def test_the_admin_sets_a_new_password(client, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_password", args=[unit_head.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        follow=True,
    )

    unit_head.refresh_from_db()
    assert unit_head.check_password(NEW_PASSWORD)
    assert response.redirect_chain == [(unit_head.get_absolute_url(), 302)]
    assert messages_of(response) == ["The new password has been set."]


def test_a_new_password_must_be_typed_twice_the_same(client, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:person_password", args=[unit_head.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "!"},
    )

    assert response.context["form"].errors == {
        "password_confirm": ["The two passwords are not the same."]
    }
    unit_head.refresh_from_db()
    assert not unit_head.check_password(NEW_PASSWORD)


# --- roles ------------------------------------------------------------------------------------------


def test_the_admin_adds_a_role(client, tree, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:membership_create", args=[unit_head.pk]),
        {
            "organisation": tree.department.pk,
            "role": Role.DATA_COLLECTOR,
            "includes_descendants": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == unit_head.get_absolute_url()
    assert [
        (m.organisation, m.role, m.includes_descendants)
        for m in unit_head.memberships.order_by("pk")
    ] == [
        (tree.planning_unit, Role.UNIT_HEAD, False),
        (tree.department, Role.DATA_COLLECTOR, True),
    ]


def test_the_same_role_twice_is_shown_at_the_role_field(client, tree, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:membership_create", args=[unit_head.pk]),
        {"organisation": tree.planning_unit.pk, "role": Role.UNIT_HEAD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "role": [f"{unit_head} already has this role in {tree.planning_unit}."]
    }
    assert unit_head.memberships.count() == 1


def test_a_role_outside_the_admin_scope_cannot_be_chosen(client, tree, department_admin, unit_head):
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:membership_create", args=[unit_head.pk]),
        {"organisation": tree.other_department.pk, "role": Role.KPI_OWNER},
    )

    assert list(response.context["form"].errors) == ["organisation"]
    assert unit_head.memberships.count() == 1


def test_the_admin_changes_the_reach_of_a_role(client, department_admin, unit_head):
    membership = unit_head.memberships.get()
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:membership_edit", args=[membership.pk]), {"includes_descendants": "on"}
    )

    membership.refresh_from_db()
    assert response.url == unit_head.get_absolute_url()
    assert (membership.role, membership.includes_descendants) == (Role.UNIT_HEAD, True)


def test_the_admin_removes_a_role(client, tree, department_admin, unit_head):
    second = MembershipFactory(
        user=unit_head, organisation=tree.department, role=Role.DATA_COLLECTOR
    )
    client.force_login(department_admin)

    response = client.post(reverse("governance:membership_delete", args=[second.pk]), follow=True)

    assert response.redirect_chain == [(unit_head.get_absolute_url(), 302)]
    assert messages_of(response) == ["The role has been removed."]
    assert list(unit_head.memberships.values_list("role", flat=True)) == [Role.UNIT_HEAD]


def test_removing_the_last_role_in_scope_goes_back_to_the_list(
    client, tree, department_admin, unit_head
):
    # The unit head keeps a role in another ministry, so without this role they leave the scope.
    MembershipFactory(user=unit_head, organisation=tree.other_department, role=Role.AUDITOR)
    client.force_login(department_admin)

    response = client.post(
        reverse(
            "governance:membership_delete",
            args=[unit_head.memberships.get(organisation=tree.planning_unit).pk],
        )
    )

    assert response.url == reverse("governance:person_list")
    assert list(unit_head.memberships.values_list("role", flat=True)) == [Role.AUDITOR]


def test_an_admin_cannot_remove_their_own_last_admin_role(client, department_admin):
    membership = department_admin.memberships.get()
    client.force_login(department_admin)

    response = client.post(
        reverse("governance:membership_delete", args=[membership.pk]), follow=True
    )

    assert response.redirect_chain == [(department_admin.get_absolute_url(), 302)]
    assert messages_of(response) == ["You cannot remove your own last administrator role."]
    assert Membership.objects.filter(pk=membership.pk).exists()
