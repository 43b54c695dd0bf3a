"""Loading the demo KPI frameworks.

Rows are upserted by natural key (framework by fiscal year and organisation, KPI by framework and
code) through kpis.services, and only what differs is written, so a second run writes nothing and
adds no history rows. Template texts and workflow states (template review, publication) are set
when the row is first created: afterwards they are the demo users' to change.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from governance.demo import DEMO_YEAR, DemoReport
from governance.models import FiscalYear, Organisation, StrategicIssue, User
from kpis import services
from kpis.demo.department import DEPARTMENT
from kpis.demo.ministry import MINISTRY
from kpis.demo.mission_group import MISSION_GROUP
from kpis.demo.specs import D, FrameworkSpec, KPISpec
from kpis.enums import DEFAULT_DIMENSIONS, FrameworkState, TemplateState
from kpis.models import KPI, Framework, KPITemplate
from kpis.selectors import code_sort_key

DEMO_COMMENT = "ข้อมูลสาธิต (ไม่ใช่ข้อมูลทางราชการ)"

FRAMEWORKS: tuple[FrameworkSpec, ...] = (MINISTRY, MISSION_GROUP, DEPARTMENT)


@dataclass
class _Context:
    report: DemoReport
    fiscal_year: FiscalYear
    admin: User
    people: dict[str, User]
    organisations: dict[tuple[str, ...], Organisation] = field(default_factory=dict)
    kpis: dict[tuple[tuple[str, ...], str], KPI] = field(default_factory=dict)

    def organisation(self, key: tuple[str, ...]) -> Organisation:
        """The organisation governance.demo created under this key (codes from the root down)."""
        if key not in self.organisations:
            node = None
            for code in key:
                node = Organisation.objects.get(parent=node, code=code)
            self.organisations[key] = node
        return self.organisations[key]


@dataclass
class _DraftGuard:
    """Reopens a published framework once, before the first change, so the demo can be updated."""

    framework: Framework
    actor: User
    reopened: bool = False

    def ensure_draft(self) -> None:
        if self.framework.state == FrameworkState.PUBLISHED:
            self.framework = services.framework_act(
                actor=self.actor,
                framework=self.framework,
                action="reopen",
                comment=f"ปรับข้อมูลสาธิตให้ตรงกับรุ่นล่าสุด ({DEMO_COMMENT})",
            )
            self.reopened = True


def load(*, report: DemoReport) -> list[str]:
    """Create or bring up to date the FY 2552 KPI frameworks; returns notes for the command."""
    people = {
        u.username: u for u in User.objects.filter(username__in=["admin", "planner", "kpi_owner"])
    }
    context = _Context(
        report=report,
        fiscal_year=FiscalYear.objects.get(year=DEMO_YEAR),
        admin=people["admin"],
        people=people,
    )
    with transaction.atomic():
        frameworks = [_load_framework(context, spec) for spec in FRAMEWORKS]
    return _notes(frameworks)


def _load_framework(context: _Context, spec: FrameworkSpec) -> Framework:
    organisation = context.organisation(spec.organisation)
    framework = Framework.objects.filter(
        fiscal_year=context.fiscal_year, organisation=organisation
    ).first()
    created = framework is None
    if created:
        framework = services.framework_create(
            actor=context.admin,
            fiscal_year=context.fiscal_year,
            organisation=organisation,
            name_th=spec.name_th,
            name_en=spec.name_en,
        )
    else:
        services.framework_update(
            actor=context.admin, framework=framework, name_th=spec.name_th, name_en=spec.name_en
        )
    context.report.count("KPI frameworks", created)
    guard = _DraftGuard(framework, context.admin)
    # The OPDC default dimensions (45/15/20/20) are the deck's; restore them if changed by hand.
    _ensure_default_dimensions(guard)
    new_templates = []
    for order, kpi_spec in enumerate(spec.kpis, start=1):
        kpi, kpi_created = _ensure_kpi(context, guard, spec, kpi_spec, order * 10)
        template = _ensure_template(context, kpi_spec, kpi, kpi_created)
        if template is not None:
            new_templates.append((kpi_spec, template))
    # Reviewed once every KPI exists: a composite's template needs its sub-KPIs.
    for kpi_spec, template in new_templates:
        _review(context, spec, kpi_spec, template)
    if spec.publish and (created or guard.reopened):
        guard.framework = services.framework_act(
            actor=context.admin, framework=guard.framework, action="publish", comment=DEMO_COMMENT
        )
    return guard.framework


def _ensure_default_dimensions(guard: _DraftGuard) -> None:
    current = {d.number: d for d in guard.framework.dimensions.all()}
    rows = {
        number: {"name_th": th, "name_en": en, "weight": weight}
        for number, th, en, weight in DEFAULT_DIMENSIONS
        if (current[number].name_th, current[number].name_en, current[number].weight)
        != (th, en, weight)
    }
    if rows:
        guard.ensure_draft()
        services.dimensions_update(actor=guard.actor, framework=guard.framework, rows=rows)


def _kpi_values(
    context: _Context, framework: Framework, spec: FrameworkSpec, kpi_spec: KPISpec, order: int
) -> dict[str, Any]:
    composite = (
        context.kpis[(spec.organisation, kpi_spec.composite)] if kpi_spec.composite else None
    )
    issue = None
    if kpi_spec.strategic_issue is not None:
        issue = StrategicIssue.objects.get(
            organisation=context.organisation(spec.organisation),
            fiscal_year=context.fiscal_year,
            number=kpi_spec.strategic_issue,
        )
    return {
        "name_th": kpi_spec.name_th,
        "name_en": kpi_spec.name_en,
        "unit_th": kpi_spec.unit_th,
        "unit_en": kpi_spec.unit_en,
        # A sub-KPI sits in its composite's dimension.
        "dimension": (
            composite.dimension
            if composite
            else framework.dimensions.get(number=kpi_spec.dimension)
        ),
        "weight": D(kpi_spec.weight),
        "composite_parent": composite,
        "parent_kpi": context.kpis[kpi_spec.cascaded_from] if kpi_spec.cascaded_from else None,
        "owner": context.organisation(kpi_spec.owner),
        "strategic_issue": issue,
        "order": order,
    }


def _differs(row: KPI, name: str, value: Any) -> bool:
    field_ = KPI._meta.get_field(name)
    if field_.is_relation:
        return getattr(row, field_.attname) != (value.pk if value is not None else None)
    return getattr(row, name) != value


def _ensure_kpi(
    context: _Context, guard: _DraftGuard, spec: FrameworkSpec, kpi_spec: KPISpec, order: int
) -> tuple[KPI, bool]:
    values = _kpi_values(context, guard.framework, spec, kpi_spec, order)
    supporting = [context.organisation(key) for key in kpi_spec.supporting]
    kpi = guard.framework.kpis.filter(code=kpi_spec.code).first()
    created = kpi is None
    if created:
        guard.ensure_draft()
        kpi = services.kpi_create(
            actor=context.admin,
            framework=guard.framework,
            code=kpi_spec.code,
            supporting_units=supporting,
            **values,
        )
    else:
        changed = {name: value for name, value in values.items() if _differs(kpi, name, value)}
        units_changed = set(kpi.supporting_units.values_list("pk", flat=True)) != {
            unit.pk for unit in supporting
        }
        if changed or units_changed:
            guard.ensure_draft()
            kpi = services.kpi_update(
                actor=context.admin,
                kpi=KPI.objects.get(pk=kpi.pk),
                supporting_units=supporting if units_changed else None,
                **changed,
            )
    context.report.count("KPIs", created)
    context.kpis[(spec.organisation, kpi_spec.code)] = kpi
    return kpi, created


def _ensure_template(
    context: _Context, kpi_spec: KPISpec, kpi: KPI, kpi_created: bool
) -> KPITemplate | None:
    """Fill the first revision of a KPI the loader has just created; None for an existing KPI.

    Afterwards a template is its KPI owner's work: `make run` loads the demo at every start, and
    must not overwrite what a demo user typed or undo a review they made.
    """
    context.report.count("KPI templates", kpi_created)
    if not kpi_created:
        return None
    return services.template_save(
        actor=context.admin, template=kpi.templates.get(revision=1), **kpi_spec.template
    )


def _review(
    context: _Context, spec: FrameworkSpec, kpi_spec: KPISpec, template: KPITemplate
) -> None:
    """Take a new revision as far as the spec says: submitted by its owner, approved by the reviewer."""
    if kpi_spec.review == TemplateState.DRAFT:
        return
    # The demo KPI owner sits in the Office of the Secretary; other units' templates are sent by
    # the administrator on their behalf.
    owner = context.people["kpi_owner"]
    submitter = owner if owner.has_perm("kpis.edit_template", template) else context.admin
    template = services.template_act(
        actor=submitter,
        template=template,
        action="submit",
        comment=f"ส่งรายละเอียดตัวชี้วัดให้พิจารณา ({DEMO_COMMENT})",
    )
    if kpi_spec.review == TemplateState.APPROVED:
        services.template_act(
            actor=context.people[spec.reviewer],
            template=template,
            action="approve",
            comment=f"เห็นชอบรายละเอียดตัวชี้วัด ({DEMO_COMMENT})",
        )


def _notes(frameworks: list[Framework]) -> list[str]:
    notes = [
        "KPI frameworks FY 2552 are ILLUSTRATIVE: KPIs and weights from slides 8, 9, 15 and 35 of "
        "the deck; missing weights, thresholds, template texts, baselines and contacts are invented.",
    ]
    for framework in frameworks:
        reconciliation = services.framework_reconciliation(framework)
        weights = "/".join(_plain(b.weight) for b in reconciliation.dimensions)
        balance = "weights reconcile" if reconciliation.ok else "weights do not reconcile"
        notes.append(
            f"{framework.organisation.name_en}: {framework.state}, dimensions "
            f"{weights}, {framework.kpis.count()} KPIs, {balance}."
        )
    department = frameworks[-1]
    pending = [
        f"{kpi.code} ({template.state})"
        for kpi in sorted(department.kpis.all(), key=lambda k: code_sort_key(k.code))
        if (template := kpi.templates.order_by("-revision").first()).state != TemplateState.APPROVED
    ]
    if pending:
        notes.append(
            "Department of Health templates left for the review workflow: "
            + ", ".join(pending)
            + " (log in as planner to complete or review them)."
        )
    notes.append(
        "The ministry and mission-group frameworks are loaded as drafts: the deck shows only "
        "some of their KPIs, so their weights cannot total 100."
    )
    return notes


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"
