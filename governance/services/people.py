"""People and their memberships (a role in an organisation, optionally with the units below)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from governance.enums import Role
from governance.errors import DomainError
from governance.models import Membership, Organisation, User
from governance.services._common import _require, _set_fields

PERSON_FIELDS = {
    "name_th",
    "name_en",
    "position_th",
    "position_en",
    "phone",
    "email",
    "language",
    "is_active",
}


@transaction.atomic
def person_create(
    *,
    actor: User,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    includes_descendants: bool = False,
    **fields: Any,
) -> User:
    """Create a person together with their first role, so nobody exists outside every scope."""
    _require(actor, "governance.manage_membership", organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This user name is taken."), field="username")
    person = User(username=username, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    person.set_password(password)
    person.save()
    Membership.objects.create(
        user=person, organisation=organisation, role=role, includes_descendants=includes_descendants
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: User, **fields: Any) -> User:
    _require(actor, "governance.manage_person", person)
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"person_update got unexpected fields {sorted(unknown)}")
    if person.pk == actor.pk and fields.get("is_active") is False:
        raise DomainError(_("You cannot deactivate your own account."), field="is_active")
    changed = _set_fields(person, fields)
    if changed:
        person.save(update_fields=changed)
    return person


def person_set_password(*, actor: User, person: User, password: str) -> User:
    _require(actor, "governance.manage_person", person)
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    person.set_password(password)
    person.save(update_fields=["password"])
    return person


def person_set_language(*, person: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Unknown language."), field="language")
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])
    return person


def membership_create(
    *,
    actor: User,
    person: User,
    organisation: Organisation,
    role: str,
    includes_descendants: bool = False,
) -> Membership:
    _require(actor, "governance.manage_membership", organisation)
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=person,
                organisation=organisation,
                role=role,
                includes_descendants=includes_descendants,
            )
    except IntegrityError:
        raise DomainError(
            _("%(person)s already has this role in %(organisation)s.")
            % {"person": person, "organisation": organisation},
            field="role",
        ) from None


def membership_update(
    *, actor: User, membership: Membership, includes_descendants: bool
) -> Membership:
    _require(actor, "governance.manage_membership", membership)
    if membership.includes_descendants != includes_descendants:
        membership.includes_descendants = includes_descendants
        membership.save(update_fields=["includes_descendants"])
    return membership


def membership_delete(*, actor: User, membership: Membership) -> None:
    _require(actor, "governance.manage_membership", membership)
    if (
        membership.user_id == actor.pk
        and membership.role == Role.ADMIN
        and not actor.is_superuser
        and not Membership.objects.filter(user=actor, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(_("You cannot remove your own last administrator role."))
    membership.delete()
