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
    items = [
        (reverse("home"), pgettext_lazy("menu", "Home"), "house"),
        (reverse("governance:organisation_tree"), pgettext_lazy("menu", "Organisations"), "diagram-3"),
        (reverse("kpis:framework_list"), pgettext_lazy("menu", "KPI frameworks"), "bullseye"),
        (reverse("governance:fiscal_year_list"), pgettext_lazy("menu", "Fiscal years"), "calendar3"),
        (reverse("governance:committee_list"), pgettext_lazy("menu", "Committees"), "people"),
    ]
    if is_admin:
        items.append((reverse("governance:person_list"), pgettext_lazy("menu", "People"), "person-badge"))
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
