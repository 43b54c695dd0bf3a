"""Committees and their members."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from governance.errors import DomainError
from governance.models import Committee, CommitteeMember, Organisation, User
from governance.services._common import _require, _set_fields

COMMITTEE_FIELDS = {
    "kind",
    "name_th",
    "name_en",
    "appointed_by_th",
    "appointed_by_en",
    "appointing_committee",
    "order_reference",
    "appointed_on",
    "duties_th",
    "duties_en",
}


def _check_appointing_committee(committee_pk: int | None, appointing: Committee | None) -> None:
    # Walk up the appointment chain: a committee cannot (indirectly) appoint itself.
    seen = set()
    while appointing is not None:
        if appointing.pk == committee_pk or appointing.pk in seen:
            raise DomainError(
                _("A committee cannot be appointed by itself or by a committee it appointed."),
                field="appointing_committee",
            )
        seen.add(appointing.pk)
        appointing = appointing.appointing_committee


@transaction.atomic
def committee_create(*, actor: User, organisation: Organisation, **fields: Any) -> Committee:
    _require(actor, "governance.manage_committee", organisation)
    unknown = set(fields) - COMMITTEE_FIELDS
    if unknown:
        raise TypeError(f"committee_create got unexpected fields {sorted(unknown)}")
    return Committee.objects.create(organisation=organisation, **fields)


@transaction.atomic
def committee_update(*, actor: User, committee: Committee, **fields: Any) -> Committee:
    _require(actor, "governance.manage_committee", committee)
    unknown = set(fields) - COMMITTEE_FIELDS
    if unknown:
        raise TypeError(f"committee_update got unexpected fields {sorted(unknown)}")
    if "appointing_committee" in fields:
        _check_appointing_committee(committee.pk, fields["appointing_committee"])
    changed = _set_fields(committee, fields)
    if changed:
        committee.save(update_fields=changed)
    return committee


def _check_chair_free(committee: Committee, position: str, exclude_pk: int | None = None) -> None:
    if position != "chair":
        return
    chairs = committee.members.filter(position="chair")
    if exclude_pk:
        chairs = chairs.exclude(pk=exclude_pk)
    if chairs.exists():
        raise DomainError(_("This committee already has a chair."), field="position")


@transaction.atomic
def committee_member_add(
    *,
    actor: User,
    committee: Committee,
    person: User,
    position: str,
    capacity_th: str = "",
    capacity_en: str = "",
    order: int | None = None,
) -> CommitteeMember:
    _require(actor, "governance.manage_committee", committee)
    if committee.members.filter(user=person).exists():
        raise DomainError(
            _("%(person)s is already a member of this committee.") % {"person": person},
            field="user",
        )
    _check_chair_free(committee, position)
    if order is None:
        order = (committee.members.count() + 1) * 10
    return CommitteeMember.objects.create(
        committee=committee,
        user=person,
        position=position,
        capacity_th=capacity_th,
        capacity_en=capacity_en,
        order=order,
    )


@transaction.atomic
def committee_member_update(
    *, actor: User, member: CommitteeMember, **fields: Any
) -> CommitteeMember:
    _require(actor, "governance.manage_committee", member.committee)
    if "position" in fields:
        _check_chair_free(member.committee, fields["position"], exclude_pk=member.pk)
    changed = _set_fields(
        member,
        {
            k: v
            for k, v in fields.items()
            if k in {"position", "capacity_th", "capacity_en", "order"}
        },
    )
    if changed:
        member.save(update_fields=changed)
    return member


def committee_member_remove(*, actor: User, member: CommitteeMember) -> None:
    _require(actor, "governance.manage_committee", member.committee)
    member.delete()
