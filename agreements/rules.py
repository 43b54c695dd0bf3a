"""Predicates of the agreements app.

Planning staff (and admins) of the organisation prepare its agreement; members of the
agreement's negotiation committee negotiate; the committee's chair approves or rejects; the two
named parties sign; admins run the year (start reporting, close).
"""

import rules

from agreements.models import (
    SAR,
    Agreement,
    AgreementKPI,
    AgreementVersion,
    Evidence,
    KPIComment,
    KPIResult,
    SiteVisit,
)
from governance.enums import CommitteeKind, CommitteePosition, Role
from governance.rules import has_role_anywhere, has_role_over


def agreement_of(obj) -> Agreement | None:
    if isinstance(obj, Agreement):
        return obj
    if isinstance(obj, AgreementVersion | KPIComment):
        return obj.agreement
    if isinstance(obj, AgreementKPI):
        return obj.version.agreement
    sar = sar_of(obj)
    return sar.agreement if sar is not None else None


def sar_of(obj) -> SAR | None:
    if isinstance(obj, SAR):
        return obj
    if isinstance(obj, KPIResult | SiteVisit):
        return obj.sar
    if isinstance(obj, Evidence):
        return obj.result.sar
    return None


def result_of(obj) -> KPIResult | None:
    if isinstance(obj, KPIResult):
        return obj
    if isinstance(obj, Evidence):
        return obj.result
    return None


def _seat(user, agreement: Agreement):
    committee_id = agreement.negotiation_committee_id
    if committee_id is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_committee_seats", {})
    if committee_id not in cache:
        cache[committee_id] = user.committee_seats.filter(committee_id=committee_id).first()
    return cache[committee_id]


@rules.predicate
def is_planner(user, obj=None) -> bool:
    if not user.is_authenticated:
        return False
    agreement = agreement_of(obj)
    planners = {Role.PLANNING, Role.ADMIN}
    if agreement is None:
        return has_role_anywhere(user, planners)
    return has_role_over(user, agreement.organisation, planners)


@rules.predicate
def is_negotiator(user, obj=None) -> bool:
    agreement = agreement_of(obj)
    return agreement is not None and _seat(user, agreement) is not None


@rules.predicate
def is_committee_chair(user, obj=None) -> bool:
    agreement = agreement_of(obj)
    seat = _seat(user, agreement) if agreement is not None else None
    return seat is not None and seat.position == CommitteePosition.CHAIR


@rules.predicate
def is_signing_party(user, obj=None) -> bool:
    agreement = agreement_of(obj)
    return agreement is not None and user.pk in (agreement.maker_id, agreement.receiver_id)


@rules.predicate
def is_admin(user, obj=None) -> bool:
    if not user.is_authenticated:
        return False
    agreement = agreement_of(obj)
    if agreement is None:
        return has_role_anywhere(user, {Role.ADMIN})
    return has_role_over(user, agreement.organisation, {Role.ADMIN})


def _role_over_agreement(user, obj, roles: set[str]) -> bool:
    if not user.is_authenticated:
        return False
    agreement = agreement_of(obj)
    if agreement is None:
        return has_role_anywhere(user, roles)
    return has_role_over(user, agreement.organisation, roles)


# --- Self-assessment reports ---------------------------------------------------------------------
# The chain seen in Thai systems: data collectors enter, the unit head submits, the KPI owner unit
# (เจ้าภาพ) verifies each KPI, the planning unit approves; an administrator may reopen.


@rules.predicate
def is_data_collector(user, obj=None) -> bool:
    """Collectors and the unit head of the organisation, and the collectors of the KPI's owner
    unit for that KPI's result (a division often reports the department's KPI it owns)."""
    if _role_over_agreement(user, obj, {Role.DATA_COLLECTOR, Role.UNIT_HEAD}):
        return True
    result = result_of(obj)
    owner = result.annex_kpi.kpi.owner if result and result.annex_kpi.kpi_id else None
    return owner is not None and has_role_over(user, owner, {Role.DATA_COLLECTOR, Role.UNIT_HEAD})


@rules.predicate
def is_unit_head(user, obj=None) -> bool:
    return _role_over_agreement(user, obj, {Role.UNIT_HEAD})


@rules.predicate
def is_kpi_owner(user, obj=None) -> bool:
    """A KPI owner of the unit that owns this KPI (or, for a SAR as a whole, of any of its KPIs)."""
    if not user.is_authenticated:
        return False
    roles = {Role.KPI_OWNER, Role.ADMIN}
    result = result_of(obj)
    if result is not None:
        kpi = result.annex_kpi.kpi
        owner = kpi.owner if kpi is not None else result.sar.agreement.organisation
        return has_role_over(user, owner, roles)
    sar = sar_of(obj)
    if sar is None:
        return has_role_anywhere(user, {Role.KPI_OWNER})
    owners = {r.annex_kpi.kpi.owner for r in sar.results.all() if r.annex_kpi.kpi_id}
    return any(has_role_over(user, owner, roles) for owner in owners)


@rules.predicate
def is_sar_approver(user, obj=None) -> bool:
    return _role_over_agreement(user, obj, {Role.PLANNING, Role.ADMIN})


@rules.predicate
def is_working_group(user, obj=None) -> bool:
    """Planning staff, or a member of a working group of the organisation or one above it."""
    if _role_over_agreement(user, obj, {Role.PLANNING, Role.ADMIN}):
        return True
    agreement = agreement_of(obj)
    if agreement is None or not user.is_authenticated:
        return False
    return user.committee_seats.filter(
        committee__kind=CommitteeKind.WORKING_GROUP,
        committee__organisation__path__in=[
            *agreement.organisation.ancestor_paths,
            agreement.organisation.path,
        ],
    ).exists()


rules.add_perm("agreements.enter_results", is_data_collector)
rules.add_perm("agreements.submit_sar", is_unit_head)
rules.add_perm("agreements.verify_result", is_kpi_owner)
rules.add_perm("agreements.verify_sar", is_kpi_owner)
rules.add_perm("agreements.return_sar", is_kpi_owner | is_sar_approver)
rules.add_perm("agreements.approve_sar", is_sar_approver)
rules.add_perm("agreements.reopen_sar", is_admin)
rules.add_perm("agreements.set_participation", is_sar_approver)
rules.add_perm("agreements.record_site_visit", is_working_group)
rules.add_perm("agreements.recompute", is_admin)

rules.add_perm("agreements.prepare", is_planner)
rules.add_perm("agreements.negotiate", is_negotiator)
rules.add_perm("agreements.return", is_planner | is_negotiator)
rules.add_perm("agreements.approve", is_committee_chair)
rules.add_perm("agreements.sign", is_signing_party)
rules.add_perm("agreements.administer", is_admin)
rules.add_perm("agreements.comment", is_planner | is_negotiator)
