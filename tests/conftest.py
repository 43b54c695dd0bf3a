"""Shared fixtures: a small government tree and one person per role, built with the factories."""

from dataclasses import dataclass

import pytest

from governance.enums import OrganisationKind, Role
from governance.models import Organisation, User
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "correct horse battery staple"


@dataclass
class Tree:
    """OPDC → MoPH → DoH → {กองแผนงาน, สลก.}, and MoF → Treasury: two ministries to test scope."""

    opdc: Organisation
    ministry: Organisation
    department: Organisation
    planning_unit: Organisation
    secretary_office: Organisation
    other_ministry: Organisation
    other_department: Organisation


@pytest.fixture
def tree(db) -> Tree:
    opdc = OrganisationFactory(
        kind=OrganisationKind.GOVERNMENT,
        code="OPDC",
        name_th="สำนักงาน ก.พ.ร.",
        name_en="OPDC",
        abbreviation_th="ก.พ.ร.",
    )
    ministry = OrganisationFactory(
        parent=opdc,
        code="MOPH",
        name_th="กระทรวงสาธารณสุข",
        name_en="Ministry of Public Health",
        abbreviation_th="สธ.",
    )
    department = OrganisationFactory(
        parent=ministry,
        kind=OrganisationKind.DEPARTMENT,
        code="DOH",
        name_th="กรมอนามัย",
        name_en="Department of Health",
        abbreviation_th="อน.",
    )
    planning_unit = OrganisationFactory(
        parent=department,
        kind=OrganisationKind.UNIT,
        code="PLAN",
        name_th="กองแผนงาน",
        name_en="Planning Division",
        abbreviation_th="กผ.",
    )
    secretary_office = OrganisationFactory(
        parent=department,
        kind=OrganisationKind.UNIT,
        code="SEC",
        name_th="สำนักงานเลขานุการกรม",
        name_en="Office of the Secretary",
        abbreviation_th="สลก.",
    )
    other_ministry = OrganisationFactory(
        parent=opdc,
        code="MOF",
        name_th="กระทรวงการคลัง",
        name_en="Ministry of Finance",
        abbreviation_th="กค.",
    )
    other_department = OrganisationFactory(
        parent=other_ministry,
        kind=OrganisationKind.DEPARTMENT,
        code="TRD",
        name_th="กรมธนารักษ์",
        name_en="Treasury Department",
        abbreviation_th="ธร.",
    )
    return Tree(
        opdc,
        ministry,
        department,
        planning_unit,
        secretary_office,
        other_ministry,
        other_department,
    )


def make_person(
    organisation: Organisation, role: str, *, below: bool = False, username: str | None = None
) -> User:
    kwargs = {"username": username} if username else {}
    person = UserFactory(**kwargs)
    MembershipFactory(user=person, organisation=organisation, role=role, includes_descendants=below)
    return person


@pytest.fixture
def department_admin(tree) -> User:
    return make_person(tree.department, Role.ADMIN, below=True, username="doh_admin")


@pytest.fixture
def unit_head(tree) -> User:
    return make_person(tree.planning_unit, Role.UNIT_HEAD, username="plan_head")


@pytest.fixture
def planning_officer(tree) -> User:
    return make_person(tree.department, Role.PLANNING, below=True, username="doh_planner")


@pytest.fixture
def other_admin(tree) -> User:
    """An administrator of another ministry: everything of the Department of Health is out of scope."""
    return make_person(tree.other_ministry, Role.ADMIN, below=True, username="mof_admin")


@pytest.fixture
def english(client):
    """Run a test in the English interface: the language cookie for pages, `override` for services.

    Thai stays the default everywhere else; the tests that read English messages ask for this.
    """
    from django.utils import translation

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
