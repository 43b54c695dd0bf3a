"""Reads that encode "which rows may this user see".

A membership covers its organisation, and every organisation below it when it includes
descendants. A person sees what their memberships cover plus the ancestors of those nodes, so the
tree always shows the path from the top to their own units. Views load rows through these
selectors, so a row outside them is a 404, never a 403 that would confirm it exists.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from governance.enums import Role
from governance.models import (
    Committee,
    CommitteeMember,
    FiscalYear,
    Membership,
    Milestone,
    Organisation,
    User,
)


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships with their organisations, loaded once per request object."""
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._memberships_cache = cached
    return cached


def _covered_q(memberships: Iterable[Membership], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for membership in memberships:
        if membership.includes_descendants:
            q |= Q(**{f"{prefix}path__startswith": membership.organisation.path})
        else:
            q |= Q(**{f"{prefix}pk": membership.organisation_id})
    return q


def organisations_in_scope(
    user: User, *, roles: Iterable[str] | None = None
) -> QuerySet[Organisation]:
    """Organisations the user's memberships (optionally of these roles) cover."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    memberships = memberships_of(user)
    if roles is not None:
        wanted = set(roles)
        memberships = [m for m in memberships if m.role in wanted]
    if not memberships:
        return Organisation.objects.none()
    return Organisation.objects.filter(_covered_q(memberships))


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """The covered organisations plus their ancestors: one query, on the indexed path."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    memberships = memberships_of(user)
    if not memberships:
        return Organisation.objects.none()
    ancestor_paths = {p for m in memberships for p in m.organisation.ancestor_paths}
    return Organisation.objects.filter(_covered_q(memberships) | Q(path__in=ancestor_paths))


def organisation_tree(user: User) -> list[tuple[Organisation, list]]:
    """The visible organisations as nested (node, children) pairs, siblings ordered by code.

    One query whatever the size of the tree: the tree is assembled in Python from the flat list.
    """
    nodes = list(organisations_visible_to(user).order_by("path"))
    children: dict[int | None, list[Organisation]] = {}
    visible_ids = {node.pk for node in nodes}
    for node in nodes:
        # A visible node whose parent is hidden is shown as a root of this user's tree.
        parent_id = node.parent_id if node.parent_id in visible_ids else None
        children.setdefault(parent_id, []).append(node)

    def build(parent_id: int | None) -> list[tuple[Organisation, list]]:
        kids = sorted(children.get(parent_id, []), key=lambda n: n.code)
        return [(kid, build(kid.pk)) for kid in kids]

    return build(None)


def people_visible_to(user: User) -> QuerySet[User]:
    """People with a membership in an organisation the user's admin memberships cover.

    People without any membership yet are visible to every admin, so one can give them a role.
    """
    if user.is_superuser:
        return User.objects.all()
    scope = organisations_in_scope(user, roles=[Role.ADMIN])
    if not scope.exists():
        return User.objects.filter(pk=user.pk)
    return User.objects.filter(
        Q(memberships__organisation__in=scope) | Q(memberships__isnull=True) | Q(pk=user.pk)
    ).distinct()


def memberships_visible_to(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation__in=organisations_visible_to(user)
    ).select_related("user", "organisation")


def committees_visible_to(user: User) -> QuerySet[Committee]:
    """Committees of a visible organisation, and those the user sits on wherever they serve."""
    if not user.is_authenticated:
        return Committee.objects.none()
    return (
        Committee.objects.filter(
            Q(organisation__in=organisations_visible_to(user)) | Q(members__user=user)
        )
        .distinct()
        .select_related("organisation", "appointing_committee")
    )


def committee_members(committee: Committee) -> QuerySet[CommitteeMember]:
    return committee.members.select_related("user").order_by("order", "id")


def fiscal_years_visible_to(user: User) -> QuerySet[FiscalYear]:
    # The fiscal year and its rounds are the same for the whole government.
    if not user.is_authenticated:
        return FiscalYear.objects.none()
    return FiscalYear.objects.prefetch_related("rounds")


def milestones_visible_to(user: User) -> QuerySet[Milestone]:
    return Milestone.objects.filter(responsible__in=organisations_visible_to(user)).select_related(
        "fiscal_year", "responsible", "responsible_committee"
    )


def committees_with_members(queryset: QuerySet[Committee]) -> QuerySet[Committee]:
    return queryset.prefetch_related(
        Prefetch("members", queryset=CommitteeMember.objects.select_related("user"))
    )
