"""Drafting an agreement: creating it from a published framework, its parties, clauses and annex."""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agreements.clauses import clauses_for
from agreements.enums import AgreementState, VersionKind
from agreements.models import Agreement, AgreementKPI, AgreementVersion
from agreements.services._common import (
    latest_version_of,
    lock_agreement,
    require,
    require_content_editable,
    set_fields,
    state_label,
)
from governance.enums import CommitteeKind
from governance.errors import DomainError
from governance.models import Committee, User
from kpis.enums import CriteriaType, FrameworkState, TemplateState
from kpis.models import KPI, Framework, KPITemplate
from kpis.selectors import code_sort_key
from kpis.services import check_criteria

MAX_WEIGHT = Decimal("100")
PARTY_TEXT_FIELDS = (
    "maker_name_th",
    "maker_name_en",
    "maker_position_th",
    "maker_position_en",
    "receiver_name_th",
    "receiver_name_en",
    "receiver_position_th",
    "receiver_position_en",
)
AGREEMENT_FIELDS = frozenset({"maker", "receiver", "negotiation_committee", *PARTY_TEXT_FIELDS})
THRESHOLD_FIELDS = tuple(f"threshold_{level}" for level in range(1, 6))
STEP_FIELDS = tuple(f"step_{level}" for level in range(1, 6))
ANNEX_FIELDS = frozenset(
    {
        "name_th",
        "name_en",
        "unit_th",
        "unit_en",
        "weight",
        "criteria_type",
        "higher_is_better",
        "step_count",
        "target",
        *THRESHOLD_FIELDS,
        *STEP_FIELDS,
    }
)
# The criteria a KPI template hands to its row in the annex.
TEMPLATE_CRITERIA_FIELDS = (
    "criteria_type",
    "higher_is_better",
    "step_count",
    "target",
    *THRESHOLD_FIELDS,
    *STEP_FIELDS,
)


# --- Parties and committee ----------------------------------------------------------------------


def _fill_party(fields: dict[str, Any], party: str, person: User | None) -> None:
    """Default a party's names and positions from the person's profile where none are given."""
    if person is None:
        return
    for suffix, value in (
        ("name_th", person.name_th or person.display_name),
        ("name_en", person.name_en),
        ("position_th", person.position_th),
        ("position_en", person.position_en),
    ):
        name = f"{party}_{suffix}"
        if not (fields.get(name) or "").strip():
            fields[name] = value


def _check_parties(fields: dict[str, Any]) -> None:
    maker, receiver = fields.get("maker"), fields.get("receiver")
    if maker is not None and receiver is not None and maker.pk == receiver.pk:
        raise DomainError(
            _("The maker and the receiver of an agreement are two different people."),
            field="receiver",
        )
    for name, message in (
        ("maker_name_th", _("Give the maker's name in Thai.")),
        ("maker_position_th", _("Give the maker's position in Thai.")),
        ("receiver_name_th", _("Give the receiver's name in Thai.")),
        ("receiver_position_th", _("Give the receiver's position in Thai.")),
    ):
        if not (fields.get(name) or "").strip():
            raise DomainError(message, field=name)


def _check_committee(committee: Committee | None, agreement: Agreement) -> None:
    if committee is None:
        return
    if committee.kind != CommitteeKind.NEGOTIATION:
        raise DomainError(
            _("%(committee)s is not a negotiation committee.") % {"committee": committee},
            field="negotiation_committee",
        )
    # A committee serves its organisation and the organisations below it (a ministry's
    # committee negotiates with each of its departments).
    if not agreement.organisation.is_within(committee.organisation):
        raise DomainError(
            _("%(committee)s does not serve %(organisation)s.")
            % {"committee": committee, "organisation": agreement.organisation},
            field="negotiation_committee",
        )


# --- Creating an agreement ------------------------------------------------------------------------


def _approved_templates(framework: Framework) -> dict[int, KPITemplate]:
    latest: dict[int, KPITemplate] = {}
    for template in KPITemplate.objects.filter(
        kpi__framework=framework, state=TemplateState.APPROVED
    ).order_by("kpi_id", "-revision"):
        latest.setdefault(template.kpi_id, template)
    return latest


def _annex_from_framework(framework: Framework) -> list[AgreementKPI]:
    """Unsaved annex rows: every KPI of the framework with its latest approved criteria."""
    kpis = sorted(
        KPI.objects.filter(framework=framework).select_related("dimension", "composite_parent"),
        key=lambda kpi: (kpi.dimension.number, code_sort_key(kpi.code)),
    )
    templates = _approved_templates(framework)
    missing = [kpi.code for kpi in kpis if kpi.pk not in templates]
    if missing:
        raise DomainError(
            _(
                "These KPIs have no approved template yet, so their criteria are not settled: "
                "%(codes)s."
            )
            % {"codes": ", ".join(missing)},
            field="framework",
        )
    rows = []
    for position, kpi in enumerate(kpis, start=1):
        template = templates[kpi.pk]
        rows.append(
            AgreementKPI(
                kpi=kpi,
                code=kpi.code,
                name_th=kpi.name_th,
                name_en=kpi.name_en,
                unit_th=kpi.unit_th,
                unit_en=kpi.unit_en,
                dimension_number=kpi.dimension.number,
                dimension_name_th=kpi.dimension.name_th,
                dimension_name_en=kpi.dimension.name_en,
                dimension_weight=kpi.dimension.weight,
                weight=kpi.weight,
                composite_code=kpi.composite_parent.code if kpi.composite_parent_id else "",
                order=position * 10,
                **{name: getattr(template, name) for name in TEMPLATE_CRITERIA_FIELDS},
            )
        )
    return rows


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    framework: Framework,
    maker: User,
    receiver: User,
    negotiation_committee: Committee | None = None,
    maker_name_th: str = "",
    maker_name_en: str = "",
    maker_position_th: str = "",
    maker_position_en: str = "",
    receiver_name_th: str = "",
    receiver_name_en: str = "",
    receiver_position_th: str = "",
    receiver_position_en: str = "",
) -> Agreement:
    """Draft the agreement of a framework's organisation and year, with version 1.

    Version 1 holds the standard clauses and an annex copied from the framework: every KPI with
    its dimension, weight and the criteria of its latest approved template.
    """
    organisation = framework.organisation
    require(actor, "agreements.prepare", Agreement(organisation=organisation))
    if framework.state != FrameworkState.PUBLISHED:
        raise DomainError(
            _("The framework “%(framework)s” is not published yet; publish it first.")
            % {"framework": framework},
            field="framework",
        )
    if Agreement.objects.filter(
        organisation=organisation, fiscal_year_id=framework.fiscal_year_id
    ).exists():
        raise DomainError(
            _("%(organisation)s already has an agreement for %(year)s.")
            % {"organisation": organisation, "year": framework.fiscal_year},
            field="framework",
        )
    fields: dict[str, Any] = {
        "maker": maker,
        "receiver": receiver,
        "maker_name_th": maker_name_th,
        "maker_name_en": maker_name_en,
        "maker_position_th": maker_position_th,
        "maker_position_en": maker_position_en,
        "receiver_name_th": receiver_name_th,
        "receiver_name_en": receiver_name_en,
        "receiver_position_th": receiver_position_th,
        "receiver_position_en": receiver_position_en,
    }
    _fill_party(fields, "maker", maker)
    _fill_party(fields, "receiver", receiver)
    _check_parties(fields)
    agreement = Agreement(
        organisation=organisation,
        fiscal_year=framework.fiscal_year,
        framework=framework,
        negotiation_committee=negotiation_committee,
        created_by=actor,
        **fields,
    )
    _check_committee(negotiation_committee, agreement)
    rows = _annex_from_framework(framework)
    try:
        # A savepoint: two planners creating at once meet the unique constraint, not a 500.
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        raise DomainError(
            _("%(organisation)s already has an agreement for %(year)s.")
            % {"organisation": organisation, "year": framework.fiscal_year},
            field="framework",
        ) from None
    clauses_th, clauses_en = clauses_for(agreement)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=1,
        kind=VersionKind.ORIGINAL,
        clauses_th=clauses_th,
        clauses_en=clauses_en,
        created_by=actor,
    )
    for row in rows:
        row.version = version
    AgreementKPI.objects.bulk_create(rows)
    return agreement


@transaction.atomic
def agreement_update(*, actor: User, agreement: Agreement, **fields: Any) -> Agreement:
    """Change the parties or the negotiation committee of a draft.

    A new maker or receiver brings their profile's names and positions unless others are given;
    clauses still in the standard wording follow the new names.
    """
    unknown = set(fields) - AGREEMENT_FIELDS
    if unknown:
        raise TypeError(f"agreement_update got unexpected fields {sorted(unknown)}")
    agreement = lock_agreement(agreement.pk)
    require(actor, "agreements.prepare", agreement)
    if agreement.state != AgreementState.DRAFT:
        raise DomainError(
            _("The parties can only change while the agreement is a draft (it is “%(state)s”).")
            % {"state": state_label(agreement)}
        )
    for party in ("maker", "receiver"):
        person = fields.get(party)
        if person is not None and person.pk != getattr(agreement, f"{party}_id"):
            _fill_party(fields, party, person)
    merged = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS} | fields
    _check_parties(merged)
    _check_committee(fields.get("negotiation_committee"), agreement)
    old_clauses = clauses_for(agreement)
    changed = set_fields(agreement, fields)
    if changed:
        agreement.save(update_fields=changed)
    version = latest_version_of(agreement)
    new_clauses = clauses_for(agreement)
    # Clauses nobody has edited carry the parties' names: keep them in step with the parties.
    clause_changes = {
        name: new
        for name, old, new in zip(
            ("clauses_th", "clauses_en"), old_clauses, new_clauses, strict=True
        )
        if getattr(version, name) == old and old != new
    }
    if clause_changes and not version.is_frozen:
        version.save(update_fields=set_fields(version, clause_changes))
    return agreement


# --- Clauses and annex --------------------------------------------------------------------------


@transaction.atomic
def clauses_update(
    *, actor: User, agreement: Agreement, clauses_th: str, clauses_en: str
) -> AgreementVersion:
    """Change the clauses of the latest version, while planners or the committee may edit it."""
    agreement = lock_agreement(agreement.pk)
    version = latest_version_of(agreement)
    require_content_editable(actor, agreement, version)
    if not clauses_th.strip():
        raise DomainError(_("The Thai clauses cannot be empty."), field="clauses_th")
    changed = set_fields(version, {"clauses_th": clauses_th, "clauses_en": clauses_en})
    if changed:
        version.save(update_fields=changed)
    return version


def _check_weight(weight: Decimal | None) -> None:
    if weight is None or not (0 <= weight <= MAX_WEIGHT):
        raise DomainError(_("A weight must lie between 0 and 100."), field="weight")


@transaction.atomic
def annex_kpi_update(*, actor: User, row: AgreementKPI, **fields: Any) -> AgreementKPI:
    """Change one KPI of the latest version's annex: wording, weight, target or criteria.

    Planners do it in a draft, the negotiation committee in a negotiation round. The criteria
    must stay scorable by the engine; the weights need only reconcile when the agreement moves on.
    """
    unknown = set(fields) - ANNEX_FIELDS
    if unknown:
        raise TypeError(f"annex_kpi_update got unexpected fields {sorted(unknown)}")
    agreement = lock_agreement(
        AgreementVersion.objects.values_list("agreement_id", flat=True).get(pk=row.version_id)
    )
    row = AgreementKPI.objects.select_related("version").get(pk=row.pk)
    require_content_editable(actor, agreement, row.version)
    if "weight" in fields:
        _check_weight(fields["weight"])
    if "name_th" in fields and not (fields["name_th"] or "").strip():
        raise DomainError(_("The KPI needs a Thai name."), field="name_th")
    new_type = fields.get("criteria_type", row.criteria_type)
    if (new_type == CriteriaType.COMPOSITE) != (row.criteria_type == CriteriaType.COMPOSITE):
        # Which KPIs are parts of which is the framework's structure, not a matter of negotiation.
        raise DomainError(
            _(
                "A KPI cannot become or stop being composite in the agreement; change the framework."
            ),
            field="criteria_type",
        )
    changed = set_fields(row, fields)
    for name in (*THRESHOLD_FIELDS, "target"):
        value = getattr(row, name)
        if value is not None:
            # Stored as 65.0000: say "65" in an error message, as the person typed it.
            setattr(row, name, Decimal(format(Decimal(str(value)).normalize(), "f")))
    if row.criteria_type != CriteriaType.COMPOSITE:
        check_criteria(row, complete=True, floor_rule=agreement.framework.floor_rule)
    if changed:
        row.save(update_fields=changed)
    return row
