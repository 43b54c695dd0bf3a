"""The agreements app's panel on the home page: a unit's agreements, their SAR rounds and states.

Registered with governance.home_panels in AgreementsConfig.ready(), so governance stays free of
any import of agreements.
"""

from dataclasses import dataclass
from itertools import groupby

from django.http import HttpRequest
from django.utils import timezone

from agreements.enums import SAR_UNSUBMITTED_STATES
from agreements.models import SAR, Agreement
from agreements.selectors import sars_visible_to
from governance.enums import Role
from governance.home_panels import Panel
from governance.rules import has_role_anywhere
from governance.selectors import organisations_in_scope

# The people who enter and hand in SARs see their own organisations' deadlines.
_REPORTING_ROLES = (Role.UNIT_HEAD, Role.DATA_COLLECTOR)
# A deadline this close is flagged, so nobody learns of it from the reminder alone.
_SOON_DAYS = 14


@dataclass(frozen=True)
class RoundLine:
    sar: SAR
    days_late: int
    days_left: int | None  # for a report not handed in whose deadline is still ahead

    @property
    def is_soon(self) -> bool:
        return self.days_left is not None and self.days_left <= _SOON_DAYS


def sar_panel(request: HttpRequest) -> Panel | None:
    """The SARs of the organisations where the person is unit head or data collector, by
    agreement; late ones first in attention. Two queries, however many there are."""
    user = request.user
    if not user.is_authenticated or not has_role_anywhere(user, set(_REPORTING_ROLES)):
        return None
    today = timezone.localdate()
    sars = (
        sars_visible_to(user)
        .filter(
            agreement__organisation__in=organisations_in_scope(user, roles=_REPORTING_ROLES),
            agreement__fiscal_year__is_closed=False,
        )
        .order_by("-agreement__fiscal_year__year", "agreement__organisation__path", "round__months")
    )
    agreements: list[tuple[Agreement, list[RoundLine]]] = []
    for agreement, in_agreement in groupby(sars, key=lambda sar: sar.agreement):
        lines = []
        for sar in in_agreement:
            waiting = sar.state in SAR_UNSUBMITTED_STATES
            late = (today - sar.deadline).days if waiting and today > sar.deadline else 0
            left = (sar.deadline - today).days if waiting and not late else None
            lines.append(RoundLine(sar, late, left))
        agreements.append((agreement, lines))
    return Panel(
        template_name="agreements/includes/sar_home_panel.html",
        context={
            "agreements": agreements,
            "late_count": sum(1 for _a, lines in agreements for line in lines if line.days_late),
        },
        css_class="col-lg-8",
    )
