"""Template revisions: fields, "target ± step" shorthand, criteria check, save, review, revise."""

import itertools
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.errors import DomainError
from governance.models import User
from governance.workflows import transition
from kpis import scoring
from kpis.criteria import Criteria, engine_message, threshold_field
from kpis.enums import CriteriaType, TemplateState
from kpis.models import KPITemplate, TemplateTransition
from kpis.services._common import _require
from kpis.workflows import TEMPLATE_WORKFLOW

TEMPLATE_FIELDS = {
    "definition",
    "formula",
    "numerator",
    "denominator",
    "criteria_type",
    "higher_is_better",
    "step_count",
    "target",
    "target_step",
    "threshold_1",
    "threshold_2",
    "threshold_3",
    "threshold_4",
    "threshold_5",
    "step_1",
    "step_2",
    "step_3",
    "step_4",
    "step_5",
    "conditions",
    "baseline_1",
    "baseline_2",
    "baseline_3",
    "data_source",
    "collection_method",
    "reports_at_6",
    "reports_at_9",
    "reports_at_12",
    "target_6",
    "target_9",
    "target_12",
    "supervisor_name",
    "supervisor_position",
    "supervisor_phone",
    "collector_name",
    "collector_position",
    "collector_phone",
    "expected_evidence",
}


def expand_shorthand(fields: dict[str, Any], *, target_level: int) -> dict[str, Any]:
    """Fill empty thresholds from "target ± step" (DOMAIN.md §4), keeping any typed thresholds."""
    target, step = fields.get("target"), fields.get("target_step")
    thresholds = [fields.get(threshold_field(level)) for level in range(1, 6)]
    if target is None or step is None or any(value is not None for value in thresholds):
        return fields
    try:
        expanded = scoring.thresholds_from_target(
            target,
            step,
            higher_is_better=fields.get("higher_is_better", True),
            target_level=target_level,
        )
    except scoring.ScoringError as error:
        raise DomainError(engine_message(error), field="target_step") from error
    return {
        **fields,
        **{threshold_field(level): value for level, value in enumerate(expanded, start=1)},
    }


def check_criteria(template: KPITemplate, *, complete: bool, floor_rule: str = "one") -> None:
    """Refuse criteria the engine cannot score; a draft may leave thresholds empty."""
    criteria = Criteria.of(template, floor_rule=floor_rule)
    if criteria.criteria_type == CriteriaType.HYBRID and not 1 <= template.step_count <= 4:
        raise DomainError(_("Steps-then-outcome criteria have 1 to 4 steps."), field="step_count")
    if criteria.criteria_type == CriteriaType.COMPOSITE:
        if complete and not template.kpi.sub_kpis.exists():
            raise DomainError(
                _("A composite KPI needs sub-KPIs: add them to the framework first."),
                field="criteria_type",
            )
        return
    filled = [v for v in criteria.thresholds_in_use if v is not None]
    if not complete and len(filled) < len(criteria.thresholds_in_use):
        # Check the order of what is filled in, so a mistake shows at once, not at submission.
        in_use = criteria.thresholds_in_use
        first = criteria.steps_in_use + 1
        pairs = [(lvl, v) for lvl, v in enumerate(in_use, start=first) if v is not None]
        for (lower, a), (upper, b) in itertools.pairwise(pairs):
            if (b <= a) if criteria.higher_is_better else (b >= a):
                code = (
                    "thresholds_not_rising"
                    if criteria.higher_is_better
                    else "thresholds_not_falling"
                )
                error = scoring.InvalidCriteria(
                    code,
                    levels=(lower, upper),
                    lower=lower,
                    upper=upper,
                    lower_value=str(a),
                    upper_value=str(b),
                )
                raise DomainError(engine_message(error), field=threshold_field(upper)) from None
        return
    try:
        criteria.validate()
    except scoring.ScoringError as error:
        level = error.levels[-1] if error.levels else None
        field = (
            threshold_field(level)
            if level and criteria.criteria_type != CriteriaType.MILESTONE
            else None
        )
        raise DomainError(engine_message(error), field=field) from error
    if criteria.criteria_type in (CriteriaType.MILESTONE, CriteriaType.HYBRID) and complete:
        for level in range(1, criteria.steps_in_use + 1):
            if not getattr(template, f"step_{level}").strip():
                raise DomainError(
                    _("Describe the step of level %(level)s.") % {"level": level},
                    field=f"step_{level}",
                )


@transaction.atomic
def template_save(*, actor: User, template: KPITemplate, **fields: Any) -> KPITemplate:
    """Save a draft (or returned) revision; incomplete criteria are fine until submission."""
    unknown = set(fields) - TEMPLATE_FIELDS
    if unknown:
        raise TypeError(f"template_save got unexpected fields {sorted(unknown)}")
    template = (
        KPITemplate.objects.select_for_update().select_related("kpi__framework").get(pk=template.pk)
    )
    _require(actor, "kpis.edit_template", template)
    if template.state not in (TemplateState.DRAFT, TemplateState.RETURNED):
        raise DomainError(
            _("This revision is %(state)s and locked; start a new revision to change it.")
            % {"state": template.get_state_display()}
        )
    framework = template.kpi.framework
    fields = expand_shorthand(fields, target_level=framework.target_level)
    for name, value in fields.items():
        setattr(template, name, value)
    check_criteria(template, complete=False, floor_rule=framework.floor_rule)
    template.updated_at = timezone.now()
    template.save()
    return template


def template_act(
    *, actor: User, template: KPITemplate, action: str, comment: str = ""
) -> KPITemplate:
    """Submit, return or approve a template revision (TEMPLATE_WORKFLOW)."""

    def check_complete(locked: KPITemplate) -> list[str]:
        if action in ("submit", "approve"):
            check_criteria(locked, complete=True, floor_rule=locked.kpi.framework.floor_rule)
        return []

    return transition(
        TEMPLATE_WORKFLOW,
        instance=template,
        action_name=action,
        actor=actor,
        comment=comment,
        apply=check_complete,
        record=TemplateTransition.record,
    )


@transaction.atomic
def template_new_revision(*, actor: User, template: KPITemplate) -> KPITemplate:
    """Start a draft revision from an approved one; the approved revision stays as it was."""
    _require(actor, "kpis.edit_template", template)
    latest = template.kpi.templates.order_by("-revision").first()
    if latest.pk != template.pk:
        raise DomainError(_("A newer revision exists already: change that one."))
    if template.state != TemplateState.APPROVED:
        raise DomainError(
            _("Only an approved revision needs a new revision; edit this one directly.")
        )
    copy = KPITemplate(kpi=template.kpi, revision=template.revision + 1, created_by=actor)
    for name in TEMPLATE_FIELDS:
        setattr(copy, name, getattr(template, name))
    copy.save()
    return copy
