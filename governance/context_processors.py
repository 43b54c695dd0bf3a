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
    ]
    if roles or user.is_superuser:
        # Every role takes part in SARs: entering, submitting, verifying, approving, visiting.
        # A short label and no entry of its own for the late reports (a button on the list):
        # the menu already fills a 1366 px screen.
        items.append(
            (
                "agreements:sar_list",
                pgettext_lazy("menu", "SAR"),
                "clipboard-data",
                (
                    "agreements:sar_",
                    "agreements:result_",
                    "agreements:evidence_",
                    "agreements:site_visit_",
                ),
            )
        )
    items += [
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
    # The entry with the longest matching prefix is the current one: a SAR page lies under
    # "agreements:" too, but belongs to "SAR".
    matched = {
        name: max((len(prefix) for prefix in covers if current.startswith(prefix)), default=0)
        for name, _label, _icon, covers in items
    }
    best = max(matched.values(), default=0)
    return {
        "nav_items": [
            {
                "url": reverse(name),
                "label": label,
                "icon": icon,
                "active": bool(current) and best > 0 and matched[name] == best,
            }
            for name, label, icon, covers in items
        ]
    }
