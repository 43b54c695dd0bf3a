"""Permission ladder cases of the KPI list export and import (see tests/test_permission_ladder.py)."""

from tests.ladder import Case

CASES = {
    # Anyone who can see the framework downloads its list, the unit head of a unit below included.
    "kpis:framework_export": Case(
        kwargs=lambda w: {"pk": w.framework.pk}, allowed=lambda w: w.unit_head, denied=None
    ),
    # Only planning staff change the KPI list; a KPI owner or unit head in scope gets a 403.
    "kpis:framework_import": Case(
        kwargs=lambda w: {"pk": w.framework.pk}, allowed=lambda w: w.planner
    ),
}
