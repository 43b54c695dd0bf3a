"""Predicates of the agreements app.

Planning staff (and admins) of the organisation prepare its agreement; members of the
agreement's negotiation committee negotiate; the committee's chair approves or rejects; the two
named parties sign; admins run the year (start reporting, close).
"""

import rules

from agreements.models import Agreement, AgreementKPI, AgreementVersion, KPIComment
from governance.enums import CommitteePosition, Role
from governance.rules import has_role_anywhere, has_role_over


def agreement_of(obj) -> Agreement | None:
    if isinstance(obj, Agreement):
        return obj
    if isinstance(obj, AgreementVersion | KPIComment):
        return obj.agreement
    if isinstance(obj, AgreementKPI):
        return obj.version.agreement
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


rules.add_perm("agreements.prepare", is_planner)
rules.add_perm("agreements.negotiate", is_negotiator)
rules.add_perm("agreements.return", is_planner | is_negotiator)
rules.add_perm("agreements.approve", is_committee_chair)
rules.add_perm("agreements.sign", is_signing_party)
rules.add_perm("agreements.administer", is_admin)
rules.add_perm("agreements.comment", is_planner | is_negotiator)
