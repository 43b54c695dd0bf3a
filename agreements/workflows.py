"""The agreement workflow table (the engine is governance.workflows.transition).

draft → proposed → in negotiation → agreed → approved → signed → reporting → closed, with the
return paths: back to draft with reasons, rejection (then revision into a new draft), and an
amendment from a signed agreement into a new draft version.
"""

from django.utils.translation import pgettext_lazy

from agreements.enums import AgreementState as S
from agreements.enums import SARState as R
from governance.workflows import Action, Workflow

AGREEMENT_WORKFLOW = Workflow(
    name="agreement",
    states=S,
    actions=(
        Action(
            "propose",
            pgettext_lazy("agreement action", "Propose to the committee"),
            frozenset({S.DRAFT}),
            S.PROPOSED,
            "agreements.prepare",
            style="primary",
        ),
        Action(
            "open_negotiation",
            pgettext_lazy("agreement action", "Open negotiation"),
            frozenset({S.PROPOSED}),
            S.NEGOTIATION,
            "agreements.negotiate",
            style="primary",
        ),
        Action(
            "return_to_draft",
            pgettext_lazy("agreement action", "Return to draft"),
            frozenset({S.PROPOSED, S.NEGOTIATION, S.AGREED}),
            S.DRAFT,
            "agreements.return",
            style="outline-secondary",
            needs_comment=True,
        ),
        Action(
            "agree",
            pgettext_lazy("agreement action", "Record agreement"),
            frozenset({S.NEGOTIATION}),
            S.AGREED,
            "agreements.negotiate",
            style="success",
        ),
        Action(
            "approve",
            pgettext_lazy("agreement action", "Approve (committee resolution)"),
            frozenset({S.AGREED}),
            S.APPROVED,
            "agreements.approve",
            style="success",
        ),
        Action(
            "reject",
            pgettext_lazy("agreement action", "Reject"),
            frozenset({S.PROPOSED, S.NEGOTIATION, S.AGREED}),
            S.REJECTED,
            "agreements.approve",
            style="outline-danger",
            needs_comment=True,
        ),
        Action(
            "revise",
            pgettext_lazy("agreement action", "Revise into a new draft"),
            frozenset({S.REJECTED}),
            S.DRAFT,
            "agreements.prepare",
            style="outline-primary",
        ),
        # Reached by the second signature (agreement_sign), never by a button of its own.
        Action(
            "complete_signing",
            pgettext_lazy("agreement action", "Complete the signing"),
            frozenset({S.APPROVED}),
            S.SIGNED,
            "agreements.sign",
            style="success",
        ),
        Action(
            "start_reporting",
            pgettext_lazy("agreement action", "Start reporting"),
            frozenset({S.SIGNED}),
            S.REPORTING,
            "agreements.administer",
            style="primary",
        ),
        Action(
            "close",
            pgettext_lazy("agreement action", "Close the year"),
            frozenset({S.REPORTING}),
            S.CLOSED,
            "agreements.administer",
            style="outline-secondary",
        ),
        Action(
            "amend",
            pgettext_lazy("agreement action", "Start an amendment"),
            frozenset({S.SIGNED, S.REPORTING}),
            S.DRAFT,
            "agreements.prepare",
            style="outline-warning",
            needs_comment=True,
        ),
    ),
)

# Actions a person takes with a button; complete_signing follows the second signature instead.
BUTTON_ACTIONS = frozenset(a.name for a in AGREEMENT_WORKFLOW.actions) - {"complete_signing"}


# --- Self-assessment reports ----------------------------------------------------------------------
# open → submitted → verified → approved, with returns to the unit and an administrator's reopening.
# "return_to_unit" is taken by a KPI owner returning one KPI's result (kpi_result_verify) or by the
# planning unit returning a verified SAR; "complete_verification" follows the last KPI verified.

SAR_WORKFLOW = Workflow(
    name="sar",
    states=R,
    actions=(
        Action(
            "submit",
            pgettext_lazy("SAR action", "Submit the report"),
            frozenset({R.OPEN, R.RETURNED}),
            R.SUBMITTED,
            "agreements.submit_sar",
            style="primary",
        ),
        Action(
            "return_to_unit",
            pgettext_lazy("SAR action", "Return to the unit"),
            frozenset({R.SUBMITTED, R.VERIFIED}),
            R.RETURNED,
            "agreements.return_sar",
            style="outline-warning",
            needs_comment=True,
        ),
        Action(
            "complete_verification",
            pgettext_lazy("SAR action", "Complete the verification"),
            frozenset({R.SUBMITTED}),
            R.VERIFIED,
            "agreements.verify_sar",
            style="success",
        ),
        Action(
            "approve",
            pgettext_lazy("SAR action", "Approve the results"),
            frozenset({R.VERIFIED}),
            R.APPROVED,
            "agreements.approve_sar",
            style="success",
        ),
        Action(
            "reopen",
            pgettext_lazy("SAR action", "Reopen for entry"),
            frozenset({R.OPEN, R.SUBMITTED, R.RETURNED, R.VERIFIED, R.APPROVED}),
            R.OPEN,
            "agreements.reopen_sar",
            style="outline-danger",
            needs_comment=True,
        ),
    ),
)

# Actions a person takes with a button on the SAR page; the others follow a KPI's verification.
SAR_BUTTON_ACTIONS = frozenset({"submit", "approve", "reopen", "return_to_unit"})
