"""Signing: each party signs the frozen version; the second signature completes the signing."""

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agreements.enums import AgreementState, Party
from agreements.models import Agreement, AgreementTransition, Signature
from agreements.services._common import latest_version_of, lock_agreement, state_label
from agreements.services.notifications import notify
from agreements.services.reports import sars_open
from agreements.workflows import AGREEMENT_WORKFLOW
from governance.errors import ActionForbidden, DomainError, TransitionNotAllowed
from governance.models import User
from governance.workflows import transition

logger = logging.getLogger(__name__)


def _refuse_unless_approved(agreement: Agreement) -> None:
    if agreement.state != AgreementState.APPROVED:
        raise TransitionNotAllowed(
            _("Only an approved agreement can be signed (this one is “%(state)s”).")
            % {"state": state_label(agreement)}
        )


def _party_of(actor: User, agreement: Agreement) -> str:
    if actor.pk == agreement.maker_id:
        return Party.MAKER
    if actor.pk == agreement.receiver_id:
        return Party.RECEIVER
    raise ActionForbidden(_("Only the maker and the receiver of the agreement sign it."))


def _already_signed(party: str) -> DomainError:
    return DomainError(
        _("The %(party)s has already signed this agreement.") % {"party": Party(party).label},
        code="already_signed",
    )


def _enqueue_signed_pdf(version_id: int) -> None:
    """Render the signed PDF in the background (once both signatures are committed)."""
    # Imported here: the task module loads the PDF machinery, which signing itself never needs.
    from agreements.tasks import render_signed_pdf

    try:
        render_signed_pdf.delay(version_id=version_id)
    except Exception:
        # The signatures stand; the ceremony page can render the PDF again.
        logger.exception("Could not enqueue the signed PDF of version %s", version_id)


def agreement_sign(
    *, actor: User, agreement: Agreement, password: str, ip_address: str | None, user_agent: str
) -> Signature:
    """Sign the approved (frozen) version as the maker or the receiver, after re-entering a password.

    The signature records who, in which capacity, when, from where and the SHA-256 of the frozen
    content. The second signature moves the agreement to "signed", opens its self-assessment
    reports (one per reporting round) and, after the commit, enqueues the rendering of the signed
    PDF.
    """
    # A fresh read (the caller's copy may be stale), checked again under the lock below.
    current = Agreement.objects.only("state", "maker_id", "receiver_id").get(pk=agreement.pk)
    _refuse_unless_approved(current)
    _party_of(actor, current)
    # Checked before taking the lock: hashing a password is slow on purpose.
    if not actor.check_password(password):
        raise DomainError(_("The password is not correct."), field="password")
    with transaction.atomic():
        # The lock serialises a double click and the two parties signing at the same moment.
        locked = lock_agreement(agreement.pk)
        _refuse_unless_approved(locked)
        party = _party_of(actor, locked)
        version = latest_version_of(locked)
        if not version.is_frozen:
            raise DomainError(_("The latest version is not approved yet, so it cannot be signed."))
        if version.signatures.filter(party=party).exists():
            raise _already_signed(party)
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    version=version,
                    party=party,
                    user=actor,
                    # The Thai name and position: the language of the official record.
                    name=getattr(locked, f"{party}_name_th"),
                    position=getattr(locked, f"{party}_position_th"),
                    ip_address=ip_address or None,
                    user_agent=(user_agent or "")[:500],
                    content_sha256=version.content_sha256,
                )
        except IntegrityError:
            raise _already_signed(party) from None
        if version.signatures.count() == len(Party.values):
            transition(
                AGREEMENT_WORKFLOW,
                instance=locked,
                action_name="complete_signing",
                actor=actor,
                record=AgreementTransition.record,
                on_commit=lambda signed: notify(signed, "complete_signing", actor=actor),
            )
            # The reports of the year open with the signing, in the same transaction.
            sars_open(agreement=locked)
            version_id = version.pk
            transaction.on_commit(lambda: _enqueue_signed_pdf(version_id))
    return signature
