"""The agreement's table actions (AGREEMENT_WORKFLOW), all through governance.workflows.transition."""

from collections.abc import Callable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.enums import VersionKind
from agreements.models import Agreement, AgreementTransition, AgreementVersion
from agreements.services._common import annex_reconciliation, copy_version, latest_version_of
from agreements.services.notifications import notify
from agreements.snapshot import build_snapshot, content_hash
from agreements.workflows import AGREEMENT_WORKFLOW
from governance.errors import DomainError
from governance.models import User
from governance.workflows import transition


def _check_weights(version: AgreementVersion, message: str) -> None:
    """Refuse with `message` (a translated text with %(problems)s) unless the weights reconcile."""
    result = annex_reconciliation(version)
    if not result.ok:
        raise DomainError(message % {"problems": " ".join(result.problems)})


def _check_ready_to_propose(agreement: Agreement) -> None:
    if agreement.negotiation_committee_id is None:
        raise DomainError(
            _("Choose the negotiation committee before proposing the agreement."),
            field="negotiation_committee",
        )
    if agreement.maker_id is None or agreement.receiver_id is None:
        raise DomainError(
            _("Name the maker and the receiver (the two people who sign) before proposing.")
        )
    _check_weights(
        latest_version_of(agreement), _("The agreement cannot be proposed yet: %(problems)s")
    )


def _freeze(
    version: AgreementVersion, *, actor: User, resolution: str, resolution_date: date | None
) -> None:
    """Record the committee's resolution and freeze the version's content with its hash."""
    if not resolution.strip():
        raise DomainError(_("Record the committee's resolution."), field="resolution")
    if resolution_date is None:
        raise DomainError(
            _("Give the date of the committee's resolution."), field="resolution_date"
        )
    if resolution_date > timezone.localdate():
        raise DomainError(
            _("The resolution date cannot lie in the future."), field="resolution_date"
        )
    version.resolution = resolution.strip()
    version.resolution_date = resolution_date
    version.approved_by = actor
    # The snapshot includes the resolution, so it is taken after the fields above are set.
    version.content = build_snapshot(version)
    version.content_sha256 = content_hash(version.content)
    version.frozen_at = timezone.now()
    version.save(
        update_fields=[
            "resolution",
            "resolution_date",
            "approved_by",
            "content",
            "content_sha256",
            "frozen_at",
        ]
    )


def _signed_version(agreement: Agreement) -> AgreementVersion:
    version = agreement.versions.filter(frozen_at__isnull=False).order_by("-number").first()
    if version is None:
        raise DomainError(_("This agreement has no signed version to amend."))
    return version


def _rules(
    action: str,
    *,
    actor: User,
    comment: str,
    resolution: str,
    resolution_date: date | None,
) -> Callable[[Agreement], list[str]]:
    """The checks and writes of `action`, run by transition() on the locked row."""

    def apply(locked: Agreement) -> list[str]:
        if action == "propose":
            _check_ready_to_propose(locked)
        elif action == "agree":
            # Negotiation may move weight between KPIs; what is agreed must still add up.
            _check_weights(
                latest_version_of(locked),
                _("The agreement cannot be recorded as agreed yet: %(problems)s"),
            )
        elif action == "approve":
            _freeze(
                latest_version_of(locked),
                actor=actor,
                resolution=resolution,
                resolution_date=resolution_date,
            )
        elif action == "amend":
            # The signed version is never changed: the amendment is a new version copied from it.
            copy_version(
                source=_signed_version(locked),
                kind=VersionKind.AMENDMENT,
                actor=actor,
                note=comment.strip(),
            )
        elif action == "revise":
            copy_version(
                source=latest_version_of(locked),
                kind=VersionKind.ORIGINAL,
                actor=actor,
                note=comment.strip(),
            )
        return []

    return apply


def agreement_act(
    *,
    actor: User,
    agreement: Agreement,
    action: str,
    comment: str = "",
    resolution: str = "",
    resolution_date: date | None = None,
) -> Agreement:
    """Take one of the table's actions (all but complete_signing, which follows the signatures).

    propose: the weights reconcile and a negotiation committee is chosen. approve: the chair
    records the resolution and its date, and the latest version is frozen with its SHA-256.
    amend / revise: a new version is copied. After the commit, the people who must act next are
    e-mailed.
    """
    if action == "complete_signing":
        raise DomainError(_("The signing completes itself when both parties have signed."))
    return transition(
        AGREEMENT_WORKFLOW,
        instance=agreement,
        action_name=action,
        actor=actor,
        comment=comment,
        apply=_rules(
            action,
            actor=actor,
            comment=comment,
            resolution=resolution,
            resolution_date=resolution_date,
        ),
        record=AgreementTransition.record,
        on_commit=lambda locked: notify(locked, action, actor=actor, comment=comment),
    )
