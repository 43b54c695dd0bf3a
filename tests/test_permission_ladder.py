"""The permission ladder of every named URL, built from the URL resolver.

For each URL: anonymous → log-in page; a person of another ministry → 404 (the row is out of
their scope) or 403 (a page not about one row); a person of the right organisation with the wrong
role → 403; the right role → 200 (or a redirect after a POST). A new URL without a case here makes
`test_every_url_has_a_ladder_case` fail, so nobody can add a page without deciding who may see it.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from governance.enums import CommitteePosition, Role
from tests.conftest import make_person
from tests.factories import (
    AgreementFactory,
    AgreementKPIFactory,
    AgreementVersionFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    FiscalYearFactory,
    FrameworkFactory,
    KPIFactory,
    MembershipFactory,
    MilestoneFactory,
    UserFactory,
)
from tests.ladder import Case, World, post_ok

# Names that answer without a log-in, and the Django admin (support staff only, its own rules).
PUBLIC = {"login", "healthz", "set_language"}
IGNORED_NAMESPACES = {"admin"}


CASES: dict[str, Case] = {
    "home": Case(allowed=lambda w: w.unit_head, denied=None, outsider_status=200),
    "logout": Case(
        method="post",
        allowed=lambda w: w.unit_head,
        denied=None,
        outsider_status=302,
        ok_status=post_ok(),
    ),
    "password_change": Case(allowed=lambda w: w.unit_head, denied=None, outsider_status=200),
    "password_change_done": Case(allowed=lambda w: w.unit_head, denied=None, outsider_status=200),
    # Organisations
    "governance:organisation_tree": Case(
        allowed=lambda w: w.unit_head, denied=None, outsider_status=200
    ),
    "governance:organisation_detail": Case(
        kwargs=lambda w: {"pk": w.tree.planning_unit.pk}, allowed=lambda w: w.unit_head, denied=None
    ),
    "governance:organisation_create": Case(query="?parent={dept}"),
    "governance:organisation_edit": Case(kwargs=lambda w: {"pk": w.tree.planning_unit.pk}),
    "governance:organisation_move": Case(kwargs=lambda w: {"pk": w.tree.planning_unit.pk}),
    # People
    "governance:person_list": Case(outsider_status=200),
    "governance:person_create": Case(outsider_status=200),
    "governance:person_detail": Case(kwargs=lambda w: {"pk": w.person.pk}, denied_status=404),
    "governance:person_edit": Case(kwargs=lambda w: {"pk": w.person.pk}, denied_status=404),
    "governance:person_password": Case(kwargs=lambda w: {"pk": w.person.pk}, denied_status=404),
    "governance:membership_create": Case(kwargs=lambda w: {"pk": w.person.pk}, denied_status=404),
    "governance:membership_edit": Case(kwargs=lambda w: {"pk": w.membership.pk}),
    "governance:membership_delete": Case(
        kwargs=lambda w: {"pk": w.membership.pk}, method="post", ok_status=post_ok()
    ),
    # Committees
    "governance:committee_list": Case(
        allowed=lambda w: w.unit_head, denied=None, outsider_status=200
    ),
    "governance:committee_detail": Case(
        kwargs=lambda w: {"pk": w.committee.pk}, allowed=lambda w: w.unit_head, denied=None
    ),
    "governance:committee_create": Case(outsider_status=200),
    "governance:committee_edit": Case(kwargs=lambda w: {"pk": w.committee.pk}),
    "governance:committee_member_add": Case(kwargs=lambda w: {"pk": w.committee.pk}),
    "governance:committee_member_edit": Case(kwargs=lambda w: {"pk": w.seat.pk}),
    "governance:committee_member_remove": Case(
        kwargs=lambda w: {"pk": w.seat.pk}, method="post", ok_status=post_ok()
    ),
    # Fiscal years and the calendar: the year is government-wide, its milestones are scoped.
    "governance:fiscal_year_list": Case(
        allowed=lambda w: w.unit_head, denied=None, outsider_status=200
    ),
    "governance:fiscal_year_detail": Case(
        kwargs=lambda w: {"pk": w.fiscal_year.pk},
        allowed=lambda w: w.unit_head,
        denied=None,
        outsider_status=200,
    ),
    "governance:fiscal_year_create": Case(outsider_status=200),
    "governance:fiscal_year_edit": Case(
        kwargs=lambda w: {"pk": w.fiscal_year.pk}, outsider_status=200
    ),
    "governance:reporting_round_edit": Case(
        kwargs=lambda w: {"pk": w.fiscal_year.rounds.get(months=6).pk}, outsider_status=200
    ),
    "governance:milestone_create": Case(
        kwargs=lambda w: {"pk": w.fiscal_year.pk}, outsider_status=200
    ),
    "governance:milestone_edit": Case(kwargs=lambda w: {"pk": w.milestone.pk}),
    "governance:milestone_delete": Case(
        kwargs=lambda w: {"pk": w.milestone.pk}, method="post", ok_status=post_ok()
    ),
    "governance:milestone_act": Case(
        kwargs=lambda w: {"pk": w.milestone.pk, "action": "start"},
        method="post",
        ok_status=post_ok(),
    ),
}


# Each app's cases live beside its tests; a module per group of pages keeps edits apart.
CASE_MODULES = (
    "tests.kpis.ladder_frameworks",
    "tests.kpis.ladder_templates",
    "tests.kpis.ladder_transfer",
    "tests.agreements.ladder_agreements",
    "tests.agreements.ladder_documents",
    "tests.agreements.ladder_reports",
    "tests.agreements.ladder_evidence",
    "tests.agreements.ladder_cards",
    "tests.agreements.ladder_site_visits",
    "tests.agreements.ladder_recompute",
)
for _module in CASE_MODULES:
    CASES.update(importlib.import_module(_module).CASES)


def _named_urls(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in IGNORED_NAMESPACES:
                continue
            names |= _named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_has_a_ladder_case():
    uncovered = _named_urls() - PUBLIC - set(CASES)
    assert uncovered == set(), f"add a ladder case for: {sorted(uncovered)}"
    stale = set(CASES) - _named_urls()
    assert stale == set(), f"cases for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(tree, department_admin, unit_head, planning_officer, other_admin) -> World:
    person = make_person(tree.planning_unit, Role.DATA_COLLECTOR, username="collector")
    membership = MembershipFactory(
        user=person, organisation=tree.planning_unit, role=Role.KPI_OWNER
    )
    committee = CommitteeFactory(organisation=tree.department)
    seat = CommitteeMemberFactory(
        committee=committee, user=person, position=CommitteePosition.MEMBER
    )
    fiscal_year = FiscalYearFactory(year=2552)
    milestone = MilestoneFactory(fiscal_year=fiscal_year, responsible=tree.department)
    framework = FrameworkFactory(fiscal_year=fiscal_year, organisation=tree.department)
    kpi = KPIFactory(framework=framework, owner=tree.planning_unit, code="1")
    kpi_owner = make_person(tree.planning_unit, Role.KPI_OWNER, username="owner")
    chair = UserFactory(username="chair")
    CommitteeMemberFactory(committee=committee, user=chair, position=CommitteePosition.CHAIR)
    maker, receiver = UserFactory(username="maker"), UserFactory(username="receiver")
    agreement = AgreementFactory(
        framework=framework, negotiation_committee=committee, maker=maker, receiver=receiver
    )
    version = AgreementVersionFactory(agreement=agreement, number=1)
    AgreementKPIFactory(version=version, code="1", kpi=kpi, weight=45)
    return World(
        tree,
        department_admin,
        planning_officer,
        unit_head,
        other_admin,
        person,
        membership,
        committee,
        seat,
        fiscal_year,
        milestone,
        framework,
        kpi,
        kpi.templates.get(),
        kpi_owner,
        agreement,
        maker,
        receiver,
        chair,
    )


def _request(client, name: str, case: Case, world: World):
    url = reverse(name, kwargs=case.kwargs(world)) + case.query.format(
        dept=world.tree.department.pk
    )
    if case.method == "post":
        return client.post(url, case.data(world))
    return client.get(url)


@pytest.mark.parametrize("name", sorted(CASES))
def test_anonymous_is_sent_to_log_in(client, world, name):
    response = _request(client, name, CASES[name], world)
    if name == "logout":
        assert response.status_code == 302
        return
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_other_ministry_cannot_reach_the_row(client, world, name):
    case = CASES[name]
    client.force_login(world.outsider)
    response = _request(client, name, case, world)
    expected = case.outsider_status
    if expected == 200 and case.method == "post":
        expected = 302
    if expected == 200 and case.denied is not None:
        # Not a row page: the outsider is an admin elsewhere, so the page opens for their own scope.
        assert response.status_code == 200
        return
    assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(name for name, case in CASES.items() if case.denied))
def test_wrong_role_is_refused(client, world, name):
    case = CASES[name]
    client.force_login(case.denied(world))
    response = _request(client, name, case, world)
    assert response.status_code == case.denied_status


@pytest.mark.parametrize("name", sorted(CASES))
def test_right_role_gets_the_page(client, world, name):
    case = CASES[name]
    client.force_login(case.allowed(world))
    response = _request(client, name, case, world)
    assert response.status_code in case.ok_status
