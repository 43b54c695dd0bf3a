"""Every write of the agreements app (except rendering PDFs): keyword-only, the actor always named.

drafting: create an agreement from a published framework, its parties, clauses and annex;
negotiation: rounds and KPI threads; lifecycle: the table actions; signing: the two signatures.
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
    "negotiation_round_start",
]
