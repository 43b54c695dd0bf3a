from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.enums import Role
from governance.selectors import memberships_of


def navigation(request) -> dict:
    """The main menu, by role: each person sees the entries they can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = {m.role for m in memberships_of(user)}
    is_admin = user.is_superuser or Role.ADMIN in roles
    items = [
        (reverse("home"), _("Home"), "house"),
        (reverse("governance:organisation_tree"), _("Organisations"), "diagram-3"),
        (reverse("kpis:framework_list"), _("KPI frameworks"), "bullseye"),
        (reverse("governance:fiscal_year_list"), _("Fiscal years and calendar"), "calendar3"),
        (reverse("governance:committee_list"), _("Committees"), "people"),
    ]
    if is_admin:
        items.append((reverse("governance:person_list"), _("People and roles"), "person-badge"))
    path = request.path
    return {
        "nav_items": [
            {
                "url": url,
                "label": label,
                "icon": icon,
                "active": (url != "/" and path.startswith(url)) or url == path,
            }
            for url, label, icon in items
        ]
    }
