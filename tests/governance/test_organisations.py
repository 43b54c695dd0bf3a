import pytest
from django.urls import reverse

from governance import selectors, services
from governance.enums import OrganisationKind, Role
from governance.errors import ActionForbidden, DomainError
from governance.models import Organisation
from tests.conftest import make_person
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_organisation_create_builds_the_path_under_its_parent(tree, department_admin):
    unit = services.organisation_create(
        actor=department_admin,
        parent=tree.department,
        kind=OrganisationKind.UNIT,
        code="NUT",
        name_th="กองโภชนาการ",
        name_en="Bureau of Nutrition",
        abbreviation_th="กอง ภ.",
    )
    assert unit.path == tree.department.path + f"{unit.pk:09d}/"
    assert unit.depth == 4
    assert list(
        Organisation.objects.filter(path__startswith=tree.department.path).order_by("code")
    ) == [
        tree.department,
        unit,
        tree.planning_unit,
        tree.secretary_office,
    ]


def test_organisation_codes_are_unique_among_siblings_only(tree, department_admin):
    with pytest.raises(DomainError) as error:
        services.organisation_create(
            actor=department_admin,
            parent=tree.department,
            kind=OrganisationKind.UNIT,
            code="plan",
            name_th="ซ้ำ",
        )
    assert error.value.field == "code"
    assert "PLAN" not in error.value.message or "plan" in error.value.message
    # The same code under another parent is fine.
    other = services.organisation_create(
        actor=department_admin,
        parent=tree.planning_unit,
        kind=OrganisationKind.UNIT,
        code="PLAN",
        name_th="กลุ่มแผน",
    )
    assert other.parent == tree.planning_unit


def test_organisation_kind_must_fit_under_its_parent(tree, department_admin):
    with pytest.raises(DomainError) as error:
        services.organisation_create(
            actor=department_admin,
            parent=tree.planning_unit,
            kind=OrganisationKind.MINISTRY,
            code="X",
            name_th="กระทรวงใต้กอง",
        )
    assert error.value.field == "kind"


def test_only_admins_covering_the_parent_may_add_units(tree, unit_head, other_admin):
    for actor in (unit_head, other_admin):
        with pytest.raises(ActionForbidden):
            services.organisation_create(
                actor=actor,
                parent=tree.department,
                kind=OrganisationKind.UNIT,
                code="Z",
                name_th="ใหม่",
            )


def test_moving_a_node_moves_its_whole_subtree(tree, superuser):
    team = services.organisation_create(
        actor=superuser,
        parent=tree.planning_unit,
        kind=OrganisationKind.UNIT,
        code="T1",
        name_th="กลุ่มงาน",
    )
    services.organisation_move(
        actor=superuser, organisation=tree.planning_unit, new_parent=tree.other_department
    )
    tree.planning_unit.refresh_from_db()
    team.refresh_from_db()
    assert tree.planning_unit.parent == tree.other_department
    assert tree.planning_unit.path == tree.other_department.path + f"{tree.planning_unit.pk:09d}/"
    assert team.path == tree.planning_unit.path + f"{team.pk:09d}/"
    assert set(Organisation.objects.filter(path__startswith=tree.department.path)) == {
        tree.department,
        tree.secretary_office,
    }


def test_moving_a_node_under_itself_is_refused(tree, superuser):
    with pytest.raises(DomainError) as error:
        services.organisation_move(
            actor=superuser, organisation=tree.department, new_parent=tree.planning_unit
        )
    assert error.value.field == "parent"
    tree.department.refresh_from_db()
    assert tree.department.parent == tree.ministry


def test_moving_refuses_a_code_taken_at_the_destination(tree, superuser):
    OrganisationFactory(parent=tree.other_department, kind=OrganisationKind.UNIT, code="PLAN")
    with pytest.raises(DomainError) as error:
        services.organisation_move(
            actor=superuser, organisation=tree.planning_unit, new_parent=tree.other_department
        )
    assert error.value.field == "code"


def test_a_unit_head_sees_their_unit_and_its_ancestors_only(tree, unit_head):
    visible = set(selectors.organisations_visible_to(unit_head))
    assert visible == {tree.opdc, tree.ministry, tree.department, tree.planning_unit}


def test_an_admin_with_descendants_sees_the_whole_subtree(tree, department_admin):
    in_scope = set(selectors.organisations_in_scope(department_admin))
    assert in_scope == {tree.department, tree.planning_unit, tree.secretary_office}


def test_the_tree_is_one_query_whatever_its_size(tree, superuser, django_assert_num_queries):
    for n in range(20):
        OrganisationFactory(parent=tree.department, kind=OrganisationKind.UNIT, code=f"U{n:02d}")
    with django_assert_num_queries(1):
        roots = selectors.organisation_tree(superuser)
    assert [node.code for node, _ in roots] == ["OPDC"]


def test_tree_page_shows_thai_names_by_default(client, tree, unit_head):
    client.force_login(unit_head)
    response = client.get(reverse("governance:organisation_tree"))
    content = response.content.decode()
    assert "กองแผนงาน" in content
    assert "กรมอนามัย" in content
    assert "กระทรวงการคลัง" not in content  # another ministry: not in the unit head's scope


def test_tree_page_in_english_after_switching_language(client, tree, unit_head):
    client.force_login(unit_head)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("governance:organisation_tree")}
    )
    assert response.status_code == 302
    unit_head.refresh_from_db()
    assert unit_head.language == "en"
    content = client.get(reverse("governance:organisation_tree")).content.decode()
    assert "Planning Division" in content
    assert "Organisation tree" in content


def test_organisation_create_page_keeps_input_on_error(client, tree, department_admin):
    client.force_login(department_admin)
    url = reverse("governance:organisation_create") + f"?parent={tree.department.pk}"
    response = client.post(
        url, {"kind": "unit", "code": "PLAN", "name_th": "กองใหม่", "name_en": "New bureau"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "already used by another organisation" in content or "ถูกใช้" in content
    assert 'value="กองใหม่"' in content
    assert 'value="New bureau"' in content


def test_organisation_create_page_refuses_html_in_names(client, tree, department_admin):
    client.force_login(department_admin)
    url = reverse("governance:organisation_create") + f"?parent={tree.department.pk}"
    response = client.post(
        url, {"kind": "unit", "code": "NEW", "name_th": "<img src=x onerror=alert(1)>"}
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(code="NEW").exists()


def test_organisation_create_page_adds_the_unit(client, tree, department_admin):
    client.force_login(department_admin)
    url = reverse("governance:organisation_create") + f"?parent={tree.department.pk}"
    response = client.post(
        url, {"kind": "unit", "code": "NUT", "name_th": "กองโภชนาการ", "abbreviation_th": "กอง ภ."}
    )
    unit = Organisation.objects.get(code="NUT")
    assert response.status_code == 302
    assert response.url == unit.get_absolute_url()
    assert unit.parent == tree.department


def test_move_page_offers_only_parents_outside_the_subtree(client, tree, department_admin):
    client.force_login(department_admin)
    response = client.get(reverse("governance:organisation_move", args=[tree.planning_unit.pk]))
    choices = {org.pk for org in response.context["form"].fields["new_parent"].queryset}
    assert choices == {tree.department.pk, tree.secretary_office.pk}


def test_membership_role_reaches_units_below_only_when_asked(tree):
    narrow = make_person(tree.department, Role.PLANNING)
    wide = make_person(tree.department, Role.PLANNING, below=True)
    assert tree.planning_unit not in set(selectors.organisations_in_scope(narrow))
    assert tree.planning_unit in set(selectors.organisations_in_scope(wide))
