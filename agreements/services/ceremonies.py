"""Signing ceremonies: several approved agreements signed on the same day (DOMAIN.md §3, step 4).

A ceremony only groups agreements: each party still signs their own agreement (agreement_sign),
and the second signature of each enqueues its PDF. The ceremony page follows the signing as it
happens and can enqueue again every PDF that is missing (a broker that was down, a lost task).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from agreements.enums import AgreementState, Party
from agreements.models import Agreement, AgreementVersion, Ceremony, Signature
from agreements.selectors import agreements_visible_to
from agreements.services._common import state_label
from governance.errors import ActionForbidden, DomainError
from governance.models import FiscalYear, Organisation, User
from governance.selectors import organisations_visible_to

# An agreement joins a ceremony once its content is approved (frozen); a signed one may be
# added afterwards, so the ceremony's record is complete.
CEREMONY_STATES = frozenset({AgreementState.APPROVED, AgreementState.SIGNED})


def ceremonies_visible_to(user: User) -> QuerySet[Ceremony]:
    """Ceremonies hosted by a visible organisation, or including an agreement the person sees."""
    if not user.is_authenticated:
        return Ceremony.objects.none()
    visible = Ceremony.objects.filter(
        Q(organisation__in=organisations_visible_to(user))
        | Q(agreements__in=agreements_visible_to(user).values("pk"))
    ).values("pk")
    # A subquery rather than the join itself, so counts over a ceremony's agreements (the list
    # page annotates them) take all of them, not only those that made the ceremony visible.
    return Ceremony.objects.filter(pk__in=visible).select_related("organisation", "fiscal_year")


def may_organise(actor: User, organisation: Organisation | None = None) -> bool:
    """Admins and planning staff over the host organisation organise its ceremonies.

    Without an organisation: whether the person may organise a ceremony anywhere (the "new
    ceremony" button). The agreement predicates judge an agreement's organisation, so an unsaved
    agreement of the host stands in for it.
    """
    subject = Agreement(organisation=organisation) if organisation is not None else None
    return actor.has_perm("agreements.administer", subject) or actor.has_perm(
        "agreements.prepare", subject
    )


def _require_organiser(actor: User, organisation: Organisation) -> None:
    if not may_organise(actor, organisation):
        raise ActionForbidden(
            _(
                "Only the administrators and planning staff of %(organisation)s organise its ceremonies."
            )
            % {"organisation": organisation}
        )


def _check_agreements(
    actor: User, fiscal_year: FiscalYear, agreements: Iterable[Agreement]
) -> list[Agreement]:
    wanted = {agreement.pk for agreement in agreements}
    if not wanted:
        raise DomainError(_("Choose at least one agreement."), field="agreements")
    # Re-read through the person's scope: an id posted by hand must not reach a hidden agreement.
    found = list(agreements_visible_to(actor).filter(pk__in=wanted).order_by("organisation__path"))
    if len(found) != len(wanted):
        raise DomainError(
            _("One of the chosen agreements does not exist or is not visible to you."),
            field="agreements",
        )
    not_ready = [a for a in found if a.state not in CEREMONY_STATES]
    if not_ready:
        raise DomainError(
            _("Only approved or signed agreements can be signed at a ceremony: %(list)s.")
            % {
                "list": "; ".join(
                    _("%(agreement)s is “%(state)s”")
                    % {"agreement": a.organisation, "state": state_label(a)}
                    for a in not_ready
                )
            },
            field="agreements",
        )
    other_year = [a for a in found if a.fiscal_year_id != fiscal_year.pk]
    if other_year:
        raise DomainError(
            _("These agreements are not for %(year)s: %(list)s.")
            % {"year": fiscal_year, "list": "; ".join(str(a.organisation) for a in other_year)},
            field="agreements",
        )
    return found


@transaction.atomic
def ceremony_create(
    *,
    actor: User,
    fiscal_year: FiscalYear,
    organisation: Organisation,
    name_th: str,
    name_en: str = "",
    held_on: date,
    agreements: Iterable[Agreement],
) -> Ceremony:
    """Arrange a signing ceremony hosted by `organisation` for approved or signed agreements."""
    _require_organiser(actor, organisation)
    if not name_th.strip():
        raise DomainError(_("Give the ceremony a Thai name."), field="name_th")
    if held_on is None:
        raise DomainError(_("Give the date of the ceremony."), field="held_on")
    chosen = _check_agreements(actor, fiscal_year, agreements)
    ceremony = Ceremony.objects.create(
        fiscal_year=fiscal_year,
        organisation=organisation,
        name_th=name_th.strip(),
        name_en=name_en.strip(),
        held_on=held_on,
        created_by=actor,
    )
    ceremony.agreements.set(chosen)
    return ceremony


# --- Progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyStatus:
    party: str
    label: str
    name: str
    position: str
    user_id: int | None
    signature: Signature | None

    @property
    def has_signed(self) -> bool:
        return self.signature is not None


@dataclass(frozen=True)
class CeremonyItem:
    """One agreement of a ceremony: the version it stands on and who has signed it."""

    agreement: Agreement
    version: AgreementVersion | None
    parties: list[PartyStatus] = field(default_factory=list)

    @property
    def waiting_for(self) -> list[PartyStatus]:
        return [p for p in self.parties if not p.has_signed]

    @property
    def is_signed(self) -> bool:
        return self.version is not None and not self.waiting_for

    @property
    def has_pdf(self) -> bool:
        return self.version is not None and bool(self.version.pdf_sha256)

    @property
    def can_be_signed(self) -> bool:
        return self.agreement.state == AgreementState.APPROVED and not self.is_signed

    def may_sign(self, user: User) -> bool:
        """Whether `user` is a party still to sign, now."""
        return self.can_be_signed and any(p.user_id == user.pk for p in self.waiting_for)


def _item(agreement: Agreement) -> CeremonyItem:
    # Versions come newest first (the prefetch orders them): the latest is what gets signed.
    versions = list(agreement.versions.all())
    version = versions[0] if versions else None
    signatures = {s.party: s for s in version.signatures.all()} if version else {}
    parties = [
        PartyStatus(
            party=party.value,
            label=str(party.label),
            name=getattr(agreement, f"{party.value}_name"),
            position=getattr(agreement, f"{party.value}_position"),
            user_id=getattr(agreement, f"{party.value}_id"),
            signature=signatures.get(party.value),
        )
        for party in (Party.MAKER, Party.RECEIVER)
    ]
    return CeremonyItem(agreement=agreement, version=version, parties=parties)


def ceremony_items(ceremony: Ceremony) -> list[CeremonyItem]:
    """The ceremony's agreements with their latest version and signatures: four queries."""
    versions = (
        AgreementVersion.objects.order_by("-number")
        # The frozen content can be large; the ceremony page never prints it.
        .defer("content")
        .prefetch_related(Prefetch("signatures", queryset=Signature.objects.order_by("signed_at")))
    )
    agreements = (
        ceremony.agreements.select_related("organisation", "fiscal_year")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("organisation__path")
    )
    return [_item(agreement) for agreement in agreements]


def ceremony_progress(
    ceremony: Ceremony, *, items: list[CeremonyItem] | None = None
) -> dict[str, Any]:
    """Where the ceremony stands: how many agreements are signed and rendered, who must still sign.

    Keys: agreements, signed (both parties signed the latest version), rendered (of those, the
    PDF is stored), signatures / signatures_needed (single signatures), waiting (agreement id →
    names of the parties still to sign), items (the CeremonyItem rows), and done: nothing left
    that the page should wait for (no agreement awaiting a signature, every PDF rendered).
    """
    if items is None:
        items = ceremony_items(ceremony)
    signed = [item for item in items if item.is_signed]
    rendered = [item for item in signed if item.has_pdf]
    awaiting = [item for item in items if item.can_be_signed]
    return {
        "agreements": len(items),
        "signed": len(signed),
        "rendered": len(rendered),
        "signatures": sum(1 for item in items for p in item.parties if p.has_signed),
        "signatures_needed": len(items) * len(Party.values),
        "waiting": {
            item.agreement.pk: [p.name for p in item.waiting_for]
            for item in items
            if not item.is_signed
        },
        "items": items,
        "done": not awaiting and len(rendered) == len(signed),
    }


def _fully_signed_versions() -> QuerySet:
    """Ids of the versions every party has signed (one Signature per party per version)."""
    return (
        Signature.objects.order_by()
        .values("version_id")
        .annotate(count=Count("id"))
        .filter(count=len(Party.values))
        .values("version_id")
    )


@transaction.atomic
def ceremony_render(*, actor: User, ceremony: Ceremony) -> int:
    """Enqueue, after the commit, the PDF of every signed version of the ceremony that lacks one.

    Returns how many were enqueued. The task renders a version once, so a PDF already on its way
    is not rendered twice when the button is pressed again.
    """
    from agreements.tasks import render_signed_pdf

    _require_organiser(actor, ceremony.organisation)
    pending = list(
        AgreementVersion.objects.filter(
            agreement__in=ceremony.agreements.all(),
            pdf_sha256="",
            pk__in=_fully_signed_versions(),
        )
        .order_by("agreement_id", "number")
        .values_list("pk", flat=True)
    )
    for version_id in pending:
        # robust: a broker that refuses one message is logged and does not stop the others.
        transaction.on_commit(
            lambda version_id=version_id: render_signed_pdf.delay(version_id=version_id),
            robust=True,
        )
    return len(pending)
