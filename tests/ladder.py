"""The pieces of the permission ladder that each app's case module uses (see test_permission_ladder)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class World:
    tree: Any
    admin: Any  # administrator of the Department of Health and its units
    planner: Any
    unit_head: Any
    outsider: Any  # administrator of the Ministry of Finance
    person: Any  # a data collector of the planning unit
    membership: Any
    committee: Any
    seat: Any
    fiscal_year: Any
    milestone: Any
    framework: Any  # the Department of Health's draft framework for FY 2552
    kpi: Any  # owned by the planning unit
    template: Any  # the KPI's first (draft) template
    kpi_owner: Any  # KPI owner of the planning unit
    agreement: Any  # the DoH draft agreement: version 1 with one annex row; committee = w.committee
    maker: Any  # signs as the maker (a DoH planner's colleague with no role of planner)
    receiver: Any  # signs as the receiver
    chair: Any  # chair of w.committee (the agreement's negotiation committee); w.person is a member


@dataclass
class Case:
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    data: Callable[[World], dict] = lambda w: {}
    allowed: Callable[[World], Any] = lambda w: w.admin
    # Who must be refused, and how: 403 for a wrong role in scope, 404 where the row is hidden.
    denied: Callable[[World], Any] | None = lambda w: w.unit_head
    denied_status: int = 403
    outsider_status: int = 404
    query: str = ""
    ok_status: set[int] = field(default_factory=lambda: {200})


def post_ok() -> set[int]:
    return {302}
