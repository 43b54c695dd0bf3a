"""The shape every view of the product takes.

Rows are loaded through a scoped selector (out of scope → 404), then the permission is checked
(in scope but not allowed → 403). A form parses the input, one service does the write, a
DomainError comes back as a form error or a message, and the view redirects.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import FormView, TemplateView

from governance.errors import ActionForbidden, DomainError


class ScopedMixin:
    """Loads `self.object` through a selector and checks `permission_required` on it."""

    permission_required: str | None = None
    pk_url_kwarg = "pk"
    object: Any = None

    def get_scoped_queryset(self) -> models.QuerySet | None:
        """The rows this user may see; None for views that are not about one row."""
        return None

    def get_object(self):
        queryset = self.get_scoped_queryset()
        if queryset is None:
            return None
        return get_object_or_404(queryset, pk=self.kwargs[self.pk_url_kwarg])

    def get_permission_object(self):
        return self.object

    def has_permission(self) -> bool:
        if self.permission_required is None:
            return True
        return self.request.user.has_perm(self.permission_required, self.get_permission_object())

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


class ScopedTemplateView(ScopedMixin, TemplateView):
    pass


class ServiceFormView(ScopedMixin, FormView):
    """A form whose valid data goes to one service; `perform(form)` calls it."""

    success_message: str = ""

    def perform(self, form) -> Any:
        raise TypeError(f"{type(self).__name__} must define perform(form)")

    def get_success_url_for(self, result: Any) -> str:
        return result.get_absolute_url()

    def form_valid(self, form) -> HttpResponse:
        try:
            result = self.perform(form)
        except ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url_for(result))


class ServiceActionView(ScopedMixin, View):
    """A POST-only action on one row (state changes, deletions): no page of its own."""

    http_method_names = ["post"]
    success_message: str = ""

    def perform(self) -> Any:
        raise TypeError(f"{type(self).__name__} must define perform()")

    def get_redirect_url(self) -> str:
        return self.object.get_absolute_url()

    def post(self, request, *args, **kwargs) -> HttpResponse:
        try:
            self.perform()
        except ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_redirect_url())
