"""The rules of people and their roles, as the services enforce them."""

import pytest

from governance import services
from governance.enums import Role
from governance.errors import ActionForbidden, DomainError
from governance.models import Membership, User
from tests.conftest import make_person

# These tests read the English texts of labels and messages (Thai is tested elsewhere).
pytestmark = pytest.mark.usefixtures("english")

NEW_PASSWORD = "a long and unusual passphrase 42"


# --- person_create --------------------------------------------------------------------------------


def test_person_create_makes_the_person_with_a_first_role(tree, department_admin):
    person = services.person_create(
        actor=department_admin,
        username="somchai",
        password=NEW_PASSWORD,
        organisation=tree.planning_unit,
        role=Role.KPI_OWNER,
        includes_descendants=False,
        name_th="นายสมชาย ใจดี",
        name_en="Somchai Jaidee",
        position_th="นักวิเคราะห์นโยบายและแผน",
        email="somchai@anamai.go.th",
        language="en",
    )

    person.refresh_from_db()
    assert person.username == "somchai"
    assert person.name_th == "นายสมชาย ใจดี"
    assert person.name_en == "Somchai Jaidee"
    assert person.language == "en"
    assert person.check_password(NEW_PASSWORD)
    assert [(m.organisation, m.role, m.includes_descendants) for m in person.memberships.all()] == [
        (tree.planning_unit, Role.KPI_OWNER, False)
    ]


def test_person_create_refuses_a_taken_user_name_whatever_its_case(tree, department_admin):
    make_person(tree.planning_unit, Role.KPI_OWNER, username="somchai")

    with pytest.raises(DomainError) as error:
        services.person_create(
            actor=department_admin,
            username="SomChai",
            password=NEW_PASSWORD,
            organisation=tree.planning_unit,
            role=Role.KPI_OWNER,
            name_th="นายสมชาย",
        )

    assert error.value.field == "username"
    assert error.value.message == "This user name is taken."
    assert User.objects.filter(username__iexact="somchai").count() == 1


def test_person_create_applies_the_password_validators(tree, department_admin):
    with pytest.raises(DomainError) as error:
        services.person_create(
            actor=department_admin,
            username="somchai",
            password="123",
            organisation=tree.planning_unit,
            role=Role.KPI_OWNER,
        )

    assert error.value.field == "password"
    assert not User.objects.filter(username="somchai").exists()


def test_person_create_in_an_organisation_outside_the_admin_scope_is_forbidden(
    tree, department_admin
):
    with pytest.raises(ActionForbidden):
        services.person_create(
            actor=department_admin,
            username="somchai",
            password=NEW_PASSWORD,
            organisation=tree.other_department,
            role=Role.KPI_OWNER,
        )

    assert not User.objects.filter(username="somchai").exists()


# --- person_update and person_set_password ----------------------------------------------------------


def test_person_update_saves_the_profile(tree, department_admin, unit_head):
    services.person_update(
        actor=department_admin,
        person=unit_head,
        name_en="Planning Head",
        position_th="ผู้อำนวยการกอง",
        is_active=False,
    )

    unit_head.refresh_from_db()
    assert (unit_head.name_en, unit_head.position_th, unit_head.is_active) == (
        "Planning Head",
        "ผู้อำนวยการกอง",
        False,
    )


def test_an_admin_cannot_deactivate_their_own_account(department_admin):
    with pytest.raises(DomainError) as error:
        services.person_update(actor=department_admin, person=department_admin, is_active=False)

    assert error.value.field == "is_active"
    assert error.value.message == "You cannot deactivate your own account."
    department_admin.refresh_from_db()
    assert department_admin.is_active is True


def test_a_unit_head_cannot_update_a_profile_even_their_own(unit_head):
    with pytest.raises(ActionForbidden):
        services.person_update(actor=unit_head, person=unit_head, name_en="Someone else")


def test_an_admin_of_another_ministry_cannot_update_the_person(other_admin, unit_head):
    with pytest.raises(ActionForbidden):
        services.person_update(actor=other_admin, person=unit_head, name_en="Someone else")


def test_person_set_password_changes_the_password(department_admin, unit_head):
    services.person_set_password(actor=department_admin, person=unit_head, password=NEW_PASSWORD)

    unit_head.refresh_from_db()
    assert unit_head.check_password(NEW_PASSWORD)


def test_person_set_password_applies_the_validators(department_admin, unit_head):
    with pytest.raises(DomainError) as error:
        services.person_set_password(actor=department_admin, person=unit_head, password="password")

    assert error.value.field == "password"
    unit_head.refresh_from_db()
    assert not unit_head.check_password("password")


# --- memberships ------------------------------------------------------------------------------------


def test_membership_create_adds_a_role(tree, department_admin, unit_head):
    membership = services.membership_create(
        actor=department_admin,
        person=unit_head,
        organisation=tree.department,
        role=Role.DATA_COLLECTOR,
        includes_descendants=True,
    )

    assert (
        membership.user,
        membership.organisation,
        membership.role,
        membership.includes_descendants,
    ) == (
        unit_head,
        tree.department,
        Role.DATA_COLLECTOR,
        True,
    )


def test_the_same_role_twice_in_one_organisation_is_refused(tree, department_admin, unit_head):
    with pytest.raises(DomainError) as error:
        services.membership_create(
            actor=department_admin,
            person=unit_head,
            organisation=tree.planning_unit,
            role=Role.UNIT_HEAD,
        )

    assert error.value.field == "role"
    assert error.value.message == f"{unit_head} already has this role in {tree.planning_unit}."
    assert unit_head.memberships.count() == 1


def test_membership_create_outside_the_admin_scope_is_forbidden(tree, department_admin, unit_head):
    with pytest.raises(ActionForbidden):
        services.membership_create(
            actor=department_admin,
            person=unit_head,
            organisation=tree.other_department,
            role=Role.KPI_OWNER,
        )


def test_membership_update_changes_only_the_reach(department_admin, unit_head):
    membership = unit_head.memberships.get()

    services.membership_update(
        actor=department_admin, membership=membership, includes_descendants=True
    )

    membership.refresh_from_db()
    assert (membership.role, membership.includes_descendants) == (Role.UNIT_HEAD, True)


def test_membership_update_of_an_ancestor_role_is_forbidden(tree, department_admin):
    ministry_planner = make_person(tree.ministry, Role.PLANNING)

    with pytest.raises(ActionForbidden):
        services.membership_update(
            actor=department_admin,
            membership=ministry_planner.memberships.get(),
            includes_descendants=True,
        )


def test_membership_delete_removes_the_role(department_admin, unit_head):
    membership = unit_head.memberships.get()

    services.membership_delete(actor=department_admin, membership=membership)

    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_cannot_remove_their_own_last_admin_role(department_admin):
    membership = department_admin.memberships.get()

    with pytest.raises(DomainError) as error:
        services.membership_delete(actor=department_admin, membership=membership)

    assert error.value.message == "You cannot remove your own last administrator role."
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_may_remove_one_of_two_admin_roles(tree, department_admin):
    second = Membership.objects.create(
        user=department_admin, organisation=tree.planning_unit, role=Role.ADMIN
    )
    first = department_admin.memberships.get(organisation=tree.department)

    services.membership_delete(actor=department_admin, membership=first)

    assert list(department_admin.memberships.all()) == [second]


def test_membership_delete_by_a_unit_head_is_forbidden(unit_head):
    membership = unit_head.memberships.get()

    with pytest.raises(ActionForbidden):
        services.membership_delete(actor=unit_head, membership=membership)

    assert Membership.objects.filter(pk=membership.pk).exists()
