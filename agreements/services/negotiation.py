"""Negotiation: rounds (each a version of its own) and the comment thread of each KPI."""

from django.db import transaction
from django.utils.translation import gettext as _

from agreements.enums import FINAL_STATES, AgreementState, VersionKind
from agreements.models import Agreement, AgreementVersion, KPIComment
from agreements.services._common import (
    copy_version,
    latest_version_of,
    lock_agreement,
    require,
    state_label,
)
from governance.errors import DomainError, TransitionNotAllowed
from governance.models import User


@transaction.atomic
def negotiation_round_start(
    *, actor: User, agreement: Agreement, note: str = ""
) -> AgreementVersion:
    """Open a negotiation round: copy the latest version into a new one the committee may change.

    The previous version stays as it was, so the round's diff shows exactly what it changed.
    """
    agreement = lock_agreement(agreement.pk)
    if agreement.state != AgreementState.NEGOTIATION:
        raise TransitionNotAllowed(
            _(
                "A negotiation round can only start during negotiation (the agreement is “%(state)s”)."
            )
            % {"state": state_label(agreement)}
        )
    require(actor, "agreements.negotiate", agreement)
    return copy_version(
        source=latest_version_of(agreement),
        kind=VersionKind.NEGOTIATION_ROUND,
        actor=actor,
        note=note.strip(),
    )


@transaction.atomic
def kpi_comment_add(*, actor: User, agreement: Agreement, kpi_code: str, text: str) -> KPIComment:
    """Add a comment to a KPI's thread, attached to the version it was written about."""
    require(actor, "agreements.comment", agreement)
    if agreement.state in FINAL_STATES:
        raise DomainError(
            _("The agreement is “%(state)s”: its threads are closed.")
            % {"state": state_label(agreement)}
        )
    if not text.strip():
        raise DomainError(_("Write a comment."), field="text")
    version = latest_version_of(agreement)
    if not version.kpis.filter(code=kpi_code).exists():
        raise DomainError(
            _("Version %(number)s has no KPI %(code)s.")
            % {"number": version.number, "code": kpi_code},
            field="kpi_code",
        )
    return KPIComment.objects.create(
        agreement=agreement, version=version, kpi_code=kpi_code, author=actor, text=text.strip()
    )
