"""The workflow tables of the KPI app (the engine is governance.workflows)."""

from django.utils.translation import pgettext_lazy

from governance.workflows import Action, Workflow
from kpis.enums import FrameworkState, TemplateState

FRAMEWORK_WORKFLOW = Workflow(
    name="framework",
    states=FrameworkState,
    actions=(
        Action(
            "publish",
            pgettext_lazy("framework action", "Publish"),
            frozenset({FrameworkState.DRAFT}),
            FrameworkState.PUBLISHED,
            "kpis.manage_framework",
            style="success",
        ),
        Action(
            "reopen",
            pgettext_lazy("framework action", "Reopen for changes"),
            frozenset({FrameworkState.PUBLISHED}),
            FrameworkState.DRAFT,
            "kpis.manage_framework",
            style="outline-secondary",
            needs_comment=True,
        ),
    ),
)

TEMPLATE_WORKFLOW = Workflow(
    name="template",
    states=TemplateState,
    actions=(
        Action(
            "submit",
            pgettext_lazy("template action", "Submit for review"),
            frozenset({TemplateState.DRAFT, TemplateState.RETURNED}),
            TemplateState.SUBMITTED,
            "kpis.edit_template",
            style="primary",
        ),
        Action(
            "return",
            pgettext_lazy("template action", "Return with comments"),
            frozenset({TemplateState.SUBMITTED}),
            TemplateState.RETURNED,
            "kpis.review_template",
            style="outline-danger",
            needs_comment=True,
        ),
        Action(
            "approve",
            pgettext_lazy("template action", "Approve"),
            frozenset({TemplateState.SUBMITTED}),
            TemplateState.APPROVED,
            "kpis.review_template",
            style="success",
        ),
    ),
)
