"""The organisation tree at ministry scale: 20 departments × 15 units × 3 teams (1,221 nodes).

Measures the visible-tree selector (one query plus assembly in Python) and a subtree query on the
indexed path, on the test database (SQLite unless DATABASE_URL says otherwise).
"""

from django.db import connection
from django.test.utils import (
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from bench.run import Figure, timed


def run() -> list[Figure]:
    # A throwaway test database, so the benchmark never touches real data.
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return _measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _measure() -> list[Figure]:
    from governance import selectors
    from governance.enums import OrganisationKind, Role
    from governance.models import Organisation
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    ministry = OrganisationFactory(code="M", kind=OrganisationKind.MINISTRY)
    for d in range(20):
        department = OrganisationFactory(
            parent=ministry, code=f"D{d}", kind=OrganisationKind.DEPARTMENT
        )
        for u in range(15):
            unit = OrganisationFactory(parent=department, code=f"U{u}", kind=OrganisationKind.UNIT)
            for t in range(3):
                OrganisationFactory(parent=unit, code=f"T{t}", kind=OrganisationKind.UNIT)
    admin = UserFactory(username="bench_admin")
    MembershipFactory(user=admin, organisation=ministry, role=Role.ADMIN, includes_descendants=True)
    count = Organisation.objects.count()
    department = Organisation.objects.get(code="D7")

    with CaptureQueriesContext(connection) as queries:
        selectors.organisation_tree(admin)  # the membership query, then the tree query
    tree_time = timed(lambda: selectors.organisation_tree(admin))
    subtree_time = timed(
        lambda: list(Organisation.objects.filter(path__startswith=department.path))
    )
    return [
        Figure(
            "tree",
            f"visible tree of {count} nodes",
            tree_time * 1000,
            "ms",
            f"{len(queries)} queries",
        ),
        Figure(
            "tree",
            "one department's subtree (61 nodes)",
            subtree_time * 1000,
            "ms",
            "indexed prefix",
        ),
    ]
