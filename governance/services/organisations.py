"""The organisation tree: create, update and move a node with its subtree."""

from typing import Any

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.enums import ALLOWED_CHILD_KINDS, OrganisationKind
from governance.errors import ActionForbidden, DomainError
from governance.models import Organisation, User, path_segment
from governance.services._common import _require, _set_fields


def _check_child_kind(parent: Organisation | None, kind: str) -> None:
    if parent is None:
        if kind != OrganisationKind.GOVERNMENT and kind != OrganisationKind.MINISTRY:
            raise DomainError(
                _("Only the government or a ministry can stand at the top of the tree."),
                field="kind",
            )
        return
    if kind not in ALLOWED_CHILD_KINDS[parent.kind]:
        raise DomainError(
            _("A %(kind)s cannot be placed under a %(parent_kind)s.")
            % {
                "kind": OrganisationKind(kind).label,
                "parent_kind": OrganisationKind(parent.kind).label,
            },
            field="kind",
        )


def _check_code_free(parent: Organisation | None, code: str, exclude_pk: int | None = None) -> None:
    siblings = Organisation.objects.filter(parent=parent, code__iexact=code)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise DomainError(
            _("The code “%(code)s” is already used by another organisation under the same parent.")
            % {"code": code},
            field="code",
        )


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    parent: Organisation | None,
    kind: str,
    code: str,
    name_th: str,
    name_en: str = "",
    abbreviation_th: str = "",
    abbreviation_en: str = "",
    vision_th: str = "",
    vision_en: str = "",
) -> Organisation:
    if parent is None:
        if not actor.is_superuser:
            raise ActionForbidden(
                _("Only a system administrator can add a top-level organisation.")
            )
    else:
        _require(actor, "governance.manage_organisation", parent)
    _check_child_kind(parent, kind)
    _check_code_free(parent, code)
    # The path needs the new row's id: insert with a unique placeholder, then set the real path.
    organisation = Organisation(
        parent=parent,
        kind=kind,
        code=code,
        name_th=name_th,
        name_en=name_en,
        abbreviation_th=abbreviation_th,
        abbreviation_en=abbreviation_en,
        vision_th=vision_th,
        vision_en=vision_en,
        path=f"~{timezone.now().timestamp()}-{code}",
    )
    organisation.save()
    organisation.path = (parent.path if parent else "") + path_segment(organisation.pk)
    organisation.save(update_fields=["path"])
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    _require(actor, "governance.manage_organisation", organisation)
    allowed = {
        "kind",
        "code",
        "name_th",
        "name_en",
        "abbreviation_th",
        "abbreviation_en",
        "vision_th",
        "vision_en",
        "is_active",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"organisation_update got unexpected fields {sorted(unknown)}")
    if "code" in fields:
        _check_code_free(organisation.parent, fields["code"], exclude_pk=organisation.pk)
    if "kind" in fields and fields["kind"] != organisation.kind:
        _check_child_kind(organisation.parent, fields["kind"])
        for child in organisation.children.all():
            if child.kind not in ALLOWED_CHILD_KINDS[fields["kind"]]:
                raise DomainError(
                    _("The kind cannot change: %(child)s could no longer stay under it.")
                    % {"child": child},
                    field="kind",
                )
    changed = _set_fields(organisation, fields)
    if changed:
        organisation.save(update_fields=changed)
    return organisation


@transaction.atomic
def organisation_move(
    *, actor: User, organisation: Organisation, new_parent: Organisation
) -> Organisation:
    """Move a node and its whole subtree under `new_parent`, in one UPDATE of the paths."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require(actor, "governance.manage_organisation", organisation)
    _require(actor, "governance.manage_organisation", new_parent)
    if new_parent.is_within(organisation):
        raise DomainError(
            _("An organisation cannot be moved under itself or one of its own units."),
            field="parent",
        )
    if new_parent.pk == organisation.parent_id:
        return organisation
    _check_child_kind(new_parent, organisation.kind)
    _check_code_free(new_parent, organisation.code, exclude_pk=organisation.pk)
    old_path = organisation.path
    new_path = new_parent.path + path_segment(organisation.pk)
    Organisation.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    Organisation.objects.filter(pk=organisation.pk).update(parent=new_parent)
    organisation.refresh_from_db()
    return organisation
