"""Predicates: "may this user do this to this row now?" (django-rules, as pretalx does).

Scope decides visibility (selectors.py); these decide actions on what is visible. Every
permission the views and the workflow tables name is declared here.
"""

import rules

from governance.enums import Role
from governance.models import (
    Committee,
    CommitteeMember,
    Membership,
    Milestone,
    Organisation,
    User,
)
from governance.selectors import memberships_of


def organisation_of(obj) -> Organisation | None:
    """The organisation whose members may act on `obj`."""
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, Membership | Committee):
        return obj.organisation
    if isinstance(obj, CommitteeMember):
        return obj.committee.organisation
    if isinstance(obj, Milestone):
        return obj.responsible
    return None


def has_role_over(user: User, organisation: Organisation, roles: set[str]) -> bool:
    return any(m.role in roles and m.covers(organisation) for m in memberships_of(user))


def has_role_anywhere(user: User, roles: set[str]) -> bool:
    return any(m.role in roles for m in memberships_of(user))


def role_predicate(name: str, *roles: str) -> rules.Predicate:
    """A predicate true when the user holds one of `roles` over the object's organisation.

    With no object (a list or "create" page) it asks whether they hold the role anywhere; the
    service then checks the organisation the new row will belong to.
    """
    wanted = set(roles)

    def check(user, obj=None) -> bool:
        if not user.is_authenticated:
            return False
        if obj is None:
            return has_role_anywhere(user, wanted)
        organisation = organisation_of(obj)
        return organisation is not None and has_role_over(user, organisation, wanted)

    return rules.predicate(check, name=name)


is_admin = role_predicate("is_admin", Role.ADMIN)
is_admin_or_planning = role_predicate("is_admin_or_planning", Role.ADMIN, Role.PLANNING)


@rules.predicate
def is_person_manager(user, person=None) -> bool:
    """Admins manage a person when one of the person's memberships lies in their admin scope."""
    if not has_role_anywhere(user, {Role.ADMIN}):
        return False
    if person is None:
        return True
    theirs = list(person.memberships.select_related("organisation"))
    # A person with no role yet belongs to nobody: any admin may give them one.
    return not theirs or any(has_role_over(user, m.organisation, {Role.ADMIN}) for m in theirs)


@rules.predicate
def is_self(user, person=None) -> bool:
    return person is not None and user.pk == person.pk


rules.add_perm("governance.manage_organisation", is_admin)
rules.add_perm("governance.manage_person", is_person_manager)
rules.add_perm("governance.view_person", is_person_manager | is_self)
rules.add_perm("governance.manage_membership", is_admin)
rules.add_perm("governance.manage_committee", is_admin)


@rules.predicate
def is_admin_anywhere(user, obj=None) -> bool:
    # Fiscal years and their rounds are government-wide: any administrator keeps them.
    return user.is_authenticated and has_role_anywhere(user, {Role.ADMIN})


rules.add_perm("governance.manage_fiscal_year", is_admin_anywhere)
rules.add_perm("governance.admin_area", is_admin_anywhere)
rules.add_perm("governance.manage_milestone", is_admin_or_planning)
