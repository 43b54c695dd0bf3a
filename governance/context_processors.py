from django.urls import reverse
from django.utils.translation import pgettext_lazy

from governance.enums import Role
from governance.selectors import memberships_of


def navigation(request) -> dict:
    """The main menu, by role: each person sees the entries they can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = {m.role for m in memberships_of(user)}
    is_admin = user.is_superuser or Role.ADMIN in roles
    # Each entry: URL, label, icon, and the URL names (by prefix) of the pages it covers.
    items = [
        ("home", pgettext_lazy("menu", "Home"), "house", ("home",)),
        (
            "governance:organisation_tree",
            pgettext_lazy("menu", "Organisations"),
            "diagram-3",
            ("governance:organisation_",),
        ),
        ("kpis:framework_list", pgettext_lazy("menu", "KPI frameworks"), "bullseye", ("kpis:",)),
        (
            "agreements:agreement_list",
            pgettext_lazy("menu", "Agreements"),
            "file-earmark-text",
            ("agreements:",),
        ),
        (
            "governance:fiscal_year_list",
            pgettext_lazy("menu", "Fiscal years"),
            "calendar3",
            ("governance:fiscal_year_", "governance:reporting_round_", "governance:milestone_"),
        ),
        (
            "governance:committee_list",
            pgettext_lazy("menu", "Committees"),
            "people",
            ("governance:committee_",),
        ),
    ]
    if is_admin:
        items.append(
            (
                "governance:person_list",
                pgettext_lazy("menu", "People"),
                "person-badge",
                ("governance:person_", "governance:membership_"),
            )
        )
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    return {
        "nav_items": [
            {
                "url": reverse(name),
                "label": label,
                "icon": icon,
                "active": current.startswith(covers) if current else False,
            }
            for name, label, icon, covers in items
        ]
    }
