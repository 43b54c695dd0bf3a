"""People and their roles: the administrators' pages, and everyone's own profile."""

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from governance import selectors, services
from governance.enums import Role
from governance.forms.people import (
    MembershipCreateForm,
    MembershipEditForm,
    PersonCreateForm,
    PersonEditForm,
    PersonFilterForm,
    PersonPasswordForm,
)
from governance.models import CommitteeMember, Membership
from governance.views.base import (
    ScopedMixin,
    ScopedTemplateView,
    ServiceActionView,
    ServiceFormView,
)


def _visible_memberships(user):
    """The roles the user may see, with their organisations: what the pages show as badges."""
    return selectors.memberships_visible_to(user).order_by("organisation__path", "role")


def _admin_organisations(user):
    return selectors.organisations_in_scope(user, roles=[Role.ADMIN])


class PersonList(ScopedMixin, ListView):
    """Everybody the administrator's scope reaches, searchable, with each person's roles."""

    template_name = "governance/person_list.html"
    partial_template_name = "governance/includes/person_table.html"
    permission_required = "governance.manage_person"
    paginate_by = 50
    context_object_name = "people"

    def get_filter_form(self) -> PersonFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = PersonFilterForm(
                self.request.GET or None,
                organisations=_admin_organisations(self.request.user),
                results_url=reverse("governance:person_list"),
            )
        return self._filter_form

    def get_queryset(self):
        user = self.request.user
        people = selectors.people_visible_to(user).prefetch_related(
            Prefetch("memberships", queryset=_visible_memberships(user), to_attr="visible_roles")
        )
        form = self.get_filter_form()
        # Apply whichever filters are valid; a stale organisation id in a bookmark is ignored.
        form.is_valid()
        filters = getattr(form, "cleaned_data", {})
        if query := filters.get("q", "").strip():
            people = people.filter(
                Q(username__icontains=query)
                | Q(name_th__icontains=query)
                | Q(name_en__icontains=query)
            )
        # Organisation and role in one filter() call: both must hold for the same membership.
        membership_filter = {}
        if organisation := filters.get("organisation"):
            membership_filter["memberships__organisation__path__startswith"] = organisation.path
        if role := filters.get("role"):
            membership_filter["memberships__role"] = role
        if membership_filter:
            people = people.filter(**membership_filter)
        return people.order_by("username")

    def get_template_names(self):
        headers = self.request.headers
        # htmx restoring a page from history (or a boosted link) needs the whole page.
        if (
            headers.get("HX-Request")
            and not headers.get("HX-Boosted")
            and not headers.get("HX-History-Restore-Request")
        ):
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["is_filtered"] = any(
            self.request.GET.get(name) for name in ("q", "organisation", "role")
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers with a page or a fragment: caches must tell them apart.
        patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
        return response


class PersonCreate(ServiceFormView):
    """A new person always comes with a first role, so nobody exists outside every scope."""

    template_name = "governance/person_form.html"
    form_class = PersonCreateForm
    permission_required = "governance.manage_person"
    success_message = _("The person has been added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = _admin_organisations(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("Add a person"), cancel_url=reverse("governance:person_list"), **kwargs
        )

    def perform(self, form):
        return services.person_create(actor=self.request.user, **form.service_kwargs())


class PersonScopedMixin:
    """Loads the person through people_visible_to: somebody out of scope is a 404."""

    def get_scoped_queryset(self):
        return selectors.people_visible_to(self.request.user)


class PersonDetail(PersonScopedMixin, ScopedTemplateView):
    template_name = "governance/person_detail.html"
    permission_required = "governance.view_person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        memberships = list(_visible_memberships(user).filter(user=person))
        for membership in memberships:
            membership.can_manage = user.has_perm("governance.manage_membership", membership)
        context.update(
            person=person,
            memberships=memberships,
            can_manage_person=user.has_perm("governance.manage_person", person),
            seats=list(
                CommitteeMember.objects.filter(
                    user=person, committee__in=selectors.committees_visible_to(user)
                )
                .select_related("committee__organisation")
                .order_by("committee__appointed_on", "committee__pk")
            ),
        )
        return context


class PersonEdit(PersonScopedMixin, ServiceFormView):
    template_name = "governance/person_form.html"
    form_class = PersonEditForm
    permission_required = "governance.manage_person"
    success_message = _("The profile has been saved.")

    def get_initial(self):
        return PersonEditForm.initial_from(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.object,
            page_title=gettext("Edit the profile of %(name)s") % {"name": self.object.display_name},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form):
        return services.person_update(
            actor=self.request.user, person=self.object, **form.cleaned_data
        )


class PersonPassword(PersonScopedMixin, ServiceFormView):
    template_name = "governance/person_form.html"
    form_class = PersonPasswordForm
    permission_required = "governance.manage_person"
    success_message = _("The new password has been set.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.object,
            page_title=gettext("Set a new password for %(name)s")
            % {"name": self.object.display_name},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form):
        return services.person_set_password(
            actor=self.request.user, person=self.object, password=form.cleaned_data["password"]
        )


class MembershipCreate(PersonScopedMixin, ServiceFormView):
    """Gives the person (the URL's pk) another role, in an organisation the admin manages."""

    template_name = "governance/membership_form.html"
    form_class = MembershipCreateForm
    permission_required = "governance.manage_person"
    success_message = _("The role has been added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = _admin_organisations(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.object, membership=None, **kwargs)

    def perform(self, form):
        return services.membership_create(
            actor=self.request.user, person=self.object, **form.cleaned_data
        )

    def get_success_url_for(self, result: Membership) -> str:
        return self.object.get_absolute_url()


class MembershipScopedMixin:
    permission_required = "governance.manage_membership"

    def get_scoped_queryset(self):
        return selectors.memberships_visible_to(self.request.user)


class MembershipEdit(MembershipScopedMixin, ServiceFormView):
    """Only the reach of a role changes; another organisation or role is a new membership."""

    template_name = "governance/membership_form.html"
    form_class = MembershipEditForm
    success_message = _("The role has been saved.")

    def get_initial(self):
        return {"includes_descendants": self.object.includes_descendants}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.object.user, membership=self.object, **kwargs)

    def perform(self, form):
        return services.membership_update(
            actor=self.request.user,
            membership=self.object,
            includes_descendants=form.cleaned_data["includes_descendants"],
        )

    def get_success_url_for(self, result: Membership) -> str:
        return result.user.get_absolute_url()


class MembershipDelete(MembershipScopedMixin, ServiceActionView):
    success_message = _("The role has been removed.")

    def perform(self):
        services.membership_delete(actor=self.request.user, membership=self.object)

    def get_redirect_url(self) -> str:
        person = self.object.user
        # Without the removed role the person may have left this admin's scope.
        if selectors.people_visible_to(self.request.user).filter(pk=person.pk).exists():
            return person.get_absolute_url()
        return reverse("governance:person_list")
