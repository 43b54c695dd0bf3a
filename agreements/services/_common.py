"""Helpers shared by the agreement services: permissions, locking, editability, copying versions."""

from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from agreements.enums import (
    COMMITTEE_EDITABLE_STATES,
    PLANNER_EDITABLE_STATES,
    AgreementState,
    VersionKind,
)
from agreements.models import Agreement, AgreementKPI, AgreementVersion
from governance.errors import ActionForbidden, DomainError
from governance.models import User
from kpis.enums import CriteriaType
from kpis.reconciliation import DimensionRow, KPIRow, Reconciliation, reconcile

# Every column of an annex row except its identity: what a new version copies.
ANNEX_COPY_FIELDS = tuple(
    f.attname for f in AgreementKPI._meta.concrete_fields if f.name not in {"id", "version"}
)


def require(actor: User, permission: str, obj: Any = None) -> None:
    if not actor.has_perm(permission, obj):
        raise ActionForbidden(_("You do not have permission to do this."))


def set_fields(instance, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def lock_agreement(pk: int) -> Agreement:
    """Re-read an agreement under a row lock (inside a transaction).

    Every write to an agreement's content takes this lock first, the same one the transitions
    take, so an edit cannot slip in between a state check and the change of state.
    """
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("organisation", "fiscal_year", "framework")
        .get(pk=pk)
    )


def latest_version_of(agreement: Agreement) -> AgreementVersion:
    version = agreement.versions.order_by("-number").first()
    if version is None:
        # Only a hand-made row can lack a version; agreement_create always writes version 1.
        raise DomainError(_("This agreement has no content yet."))
    return version


def state_label(agreement: Agreement) -> str:
    return str(AgreementState(agreement.state).label)


def require_content_editable(actor: User, agreement: Agreement, version: AgreementVersion) -> None:
    """Refuse a change of `version`'s clauses or annex unless this person may make it now.

    Planners change the latest version while drafting; the negotiation committee changes it while
    negotiating, and only in a round (a version of its own, so each round has a readable diff).
    """
    if version.is_frozen:
        raise DomainError(
            _(
                "Version %(number)s is approved and frozen; an amendment (a new version) is "
                "needed to change it."
            )
            % {"number": version.number}
        )
    latest = latest_version_of(agreement)
    if version.pk != latest.pk:
        raise DomainError(
            _("Version %(number)s is an earlier version; changes go into version %(latest)s.")
            % {"number": version.number, "latest": latest.number}
        )
    if agreement.state in PLANNER_EDITABLE_STATES:
        require(actor, "agreements.prepare", agreement)
    elif agreement.state in COMMITTEE_EDITABLE_STATES:
        require(actor, "agreements.negotiate", agreement)
        if version.kind != VersionKind.NEGOTIATION_ROUND:
            raise DomainError(
                _("Start a negotiation round first: each round of changes is a version of its own.")
            )
    else:
        raise DomainError(
            _("The content cannot be changed while the agreement is “%(state)s”.")
            % {"state": state_label(agreement)}
        )


def copy_version(
    *, source: AgreementVersion, kind: str, actor: User, note: str = ""
) -> AgreementVersion:
    """A new latest version with `source`'s clauses and annex rows; `source` is left untouched."""
    highest = source.agreement.versions.aggregate(m=Max("number"))["m"] or 0
    version = AgreementVersion.objects.create(
        agreement_id=source.agreement_id,
        number=highest + 1,
        kind=kind,
        note=note,
        clauses_th=source.clauses_th,
        clauses_en=source.clauses_en,
        created_by=actor,
    )
    AgreementKPI.objects.bulk_create(
        AgreementKPI(version=version, **{name: getattr(row, name) for name in ANNEX_COPY_FIELDS})
        for row in source.kpis.order_by("order", "code")
    )
    return version


def annex_reconciliation(version: AgreementVersion) -> Reconciliation:
    """The weight balance of a version's annex, by the same rules as a framework's."""
    rows = list(version.kpis.order_by("dimension_number", "order"))
    dimensions: dict[int, DimensionRow] = {}
    for row in rows:
        dimensions.setdefault(
            row.dimension_number,
            DimensionRow(row.dimension_number, row.dimension_name, row.dimension_weight),
        )
    return reconcile(
        dimensions.values(),
        (
            KPIRow(
                code=row.code,
                dimension_number=row.dimension_number,
                weight=row.weight,
                composite_code=row.composite_code or None,
                is_composite=row.criteria_type == CriteriaType.COMPOSITE,
            )
            for row in rows
        ),
    )
