"""Helpers shared by the KPI services."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from governance.errors import ActionForbidden, DomainError
from governance.models import User
from kpis.enums import FrameworkState
from kpis.models import Framework

MAX_WEIGHT = Decimal("100")


def _require(actor: User, permission: str, obj: Any = None) -> None:
    if not actor.has_perm(permission, obj):
        raise ActionForbidden(_("You do not have permission to do this."))


def _require_draft(framework: Framework) -> None:
    if framework.state != FrameworkState.DRAFT:
        raise DomainError(
            _("The framework is published: reopen it before changing its KPIs or weights.")
        )
