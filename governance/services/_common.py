"""Helpers shared by the governance services."""

from typing import Any

from django.utils.translation import gettext as _

from governance.errors import ActionForbidden
from governance.models import User


def _require(actor: User, permission: str, obj: Any = None) -> None:
    if not actor.has_perm(permission, obj):
        raise ActionForbidden(_("You do not have permission to do this."))


def _set_fields(instance, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
