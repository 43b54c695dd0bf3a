"""Every write of the agreements app (except rendering PDFs): keyword-only, the actor always named.

drafting: create an agreement from a published framework, its parties, clauses and annex;
negotiation: rounds and KPI threads; lifecycle: the table actions; signing: the two signatures;
reports: self-assessment reports (opening, entering results, submitting, verifying, approving).
"""

from agreements.services._common import annex_reconciliation
from agreements.services.ceremonies import ceremony_create, ceremony_progress, ceremony_render
from agreements.services.drafting import (
    agreement_create,
    agreement_update,
    annex_kpi_update,
    clauses_update,
)
from agreements.services.lifecycle import agreement_act
from agreements.services.negotiation import kpi_comment_add, negotiation_round_start
from agreements.services.reports import (
    kpi_participation_set,
    kpi_result_update,
    kpi_result_verify,
    sar_act,
    sars_open,
)
from agreements.services.signing import agreement_sign

__all__ = [
    "agreement_act",
    "agreement_create",
    "agreement_sign",
    "agreement_update",
    "annex_kpi_update",
    "annex_reconciliation",
    "ceremony_create",
    "ceremony_progress",
    "ceremony_render",
    "clauses_update",
    "kpi_comment_add",
    "kpi_participation_set",
    "kpi_result_update",
    "kpi_result_verify",
    "negotiation_round_start",
    "sar_act",
    "sars_open",
]
