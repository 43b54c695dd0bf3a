from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from governance import selectors, services
from governance.forms.organisations import (
    OrganisationEditForm,
    OrganisationForm,
    OrganisationMoveForm,
)
from governance.models import Membership, Organisation
from governance.views.base import ScopedTemplateView, ServiceFormView


class OrganisationTree(ScopedTemplateView):
    template_name = "governance/organisation_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tree"] = selectors.organisation_tree(self.request.user)
        context["can_add_root"] = self.request.user.is_superuser
        return context


class OrganisationDetail(ScopedTemplateView):
    template_name = "governance/organisation_detail.html"

    def get_scoped_queryset(self):
        return selectors.organisations_visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        user = self.request.user
        visible = selectors.organisations_visible_to(user)
        context.update(
            ancestors=list(Organisation.objects.filter(path__in=organisation.ancestor_paths)),
            children=list(visible.filter(parent=organisation).order_by("code")),
            can_manage=user.has_perm("governance.manage_organisation", organisation),
            can_manage_members=user.has_perm("governance.manage_membership", organisation),
            memberships=list(
                Membership.objects.filter(organisation=organisation)
                .select_related("user")
                .order_by("role", "user__username")
            )
            if user.has_perm("governance.manage_membership", organisation)
            else [],
            missions=list(organisation.missions.all()),
            core_values=list(organisation.core_values.all()),
            strategic_issues=list(
                organisation.strategic_issues.select_related("owner", "fiscal_year").order_by(
                    "-fiscal_year__year", "number"
                )
            ),
            committees=list(
                selectors.committees_visible_to(user).filter(organisation=organisation)
            ),
        )
        return context


class OrganisationCreate(ServiceFormView):
    """Adds a unit under `?parent=`; top-level nodes only for system administrators."""

    template_name = "governance/organisation_form.html"
    form_class = OrganisationForm
    permission_required = "governance.manage_organisation"
    success_message = _("The organisation has been added.")

    def get_object(self):
        parent_id = self.request.GET.get("parent") or self.request.POST.get("parent")
        if parent_id:
            return get_object_or_404(
                selectors.organisations_visible_to(self.request.user), pk=parent_id
            )
        return None

    def has_permission(self) -> bool:
        if self.object is None:
            return self.request.user.is_superuser
        return super().has_permission()

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.object, **kwargs)

    def perform(self, form):
        return services.organisation_create(
            actor=self.request.user, parent=self.object, **form.cleaned_data
        )


class OrganisationEdit(ServiceFormView):
    template_name = "governance/organisation_form.html"
    form_class = OrganisationEditForm
    permission_required = "governance.manage_organisation"
    success_message = _("The organisation has been saved.")

    def get_scoped_queryset(self):
        return selectors.organisations_visible_to(self.request.user)

    def get_initial(self):
        return OrganisationEditForm.initial_from(self.object)

    def perform(self, form):
        return services.organisation_update(
            actor=self.request.user, organisation=self.object, **form.cleaned_data
        )


class OrganisationMove(ServiceFormView):
    template_name = "governance/organisation_move.html"
    form_class = OrganisationMoveForm
    permission_required = "governance.manage_organisation"
    success_message = _("The organisation and its units have been moved.")

    def get_scoped_queryset(self):
        return selectors.organisations_visible_to(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Offer only parents the user manages and that lie outside the subtree being moved.
        kwargs["parents"] = (
            selectors.organisations_in_scope(self.request.user, roles=["admin"])
            .exclude(path__startswith=self.object.path)
            .order_by("path")
        )
        return kwargs

    def perform(self, form):
        return services.organisation_move(
            actor=self.request.user,
            organisation=self.object,
            new_parent=form.cleaned_data["new_parent"],
        )
