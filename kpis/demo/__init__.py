"""The demo year's KPI frameworks (FY 2552): the ministry, the mission group and the department.

ILLUSTRATIVE data. The KPIs, weights and criteria shorthands come from the Department of Health's
deck of 22 December 2551 (slides 8, 9, 15 and 35; DOMAIN.md §8 and §10). Everything the deck does
not give is invented and marked so here: the weights it leaves out, the thresholds behind
"ขั้นตอน + ผลลัพธ์", the template texts, the baselines and the people named in the templates.
Phone numbers use the unallocated Bangkok range 0 2000 xxxx, so they reach nobody.

`manage.py load_demo` calls `load()` after the governance loader (governance.demo created the
organisations, FY 2552, the strategic issues and the demo users). `specs` says how a framework is
written down, `ministry`, `mission_group` and `department` hold the three frameworks, and
`loader` upserts them by natural key through kpis.services (see there).
"""

from kpis.demo.department import DEPARTMENT
from kpis.demo.loader import DEMO_COMMENT, FRAMEWORKS, load
from kpis.demo.ministry import MINISTRY
from kpis.demo.mission_group import MISSION_GROUP
from kpis.demo.specs import (
    BHP,
    BLANK_TEMPLATE,
    COMPOSITE,
    COMPOSITE_CRITERIA,
    CONTACTS,
    COUNT_HOSPITALS,
    DDC,
    DEVELOPMENT,
    EFFECTIVENESS,
    EFFICIENCY,
    FDA,
    FIN,
    HSS,
    HYBRID,
    IAG,
    LAW,
    LEVEL,
    MILESTONE,
    OPS,
    OUTCOME,
    PER,
    PERCENT,
    PLAN,
    PSDG,
    QUALITY,
    ROUNDS_BY_PARTS,
    SCORE,
    SEC,
    WEIGHTED,
    D,
    FrameworkSpec,
    KPISpec,
    hybrid,
    hybrid_around,
    milestone,
    outcome,
    template,
)

__all__ = [
    "BHP",
    "BLANK_TEMPLATE",
    "COMPOSITE",
    "COMPOSITE_CRITERIA",
    "CONTACTS",
    "COUNT_HOSPITALS",
    "DDC",
    "DEMO_COMMENT",
    "DEPARTMENT",
    "DEVELOPMENT",
    "EFFECTIVENESS",
    "EFFICIENCY",
    "FDA",
    "FIN",
    "FRAMEWORKS",
    "HSS",
    "HYBRID",
    "IAG",
    "LAW",
    "LEVEL",
    "MILESTONE",
    "MINISTRY",
    "MISSION_GROUP",
    "OPS",
    "OUTCOME",
    "PER",
    "PERCENT",
    "PLAN",
    "PSDG",
    "QUALITY",
    "ROUNDS_BY_PARTS",
    "SCORE",
    "SEC",
    "WEIGHTED",
    "D",
    "FrameworkSpec",
    "KPISpec",
    "hybrid",
    "hybrid_around",
    "load",
    "milestone",
    "outcome",
    "template",
]
