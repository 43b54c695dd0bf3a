"""The Django admin, for support staff only: the product's own pages are the UI for users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from governance import models


@admin.register(models.User)
class PersonAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "name_th", "name_en", "email", "is_active", "is_superuser")
    search_fields = ("username", "name_th", "name_en", "email")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Profile",
            {"fields": ("name_th", "name_en", "position_th", "position_en", "phone", "language")},
        ),
    )


@admin.register(models.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_th", "name_en", "abbreviation_th", "kind", "path")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_th", "name_en", "abbreviation_th")
    # The path and parent are kept by services (a move rewrites the subtree); never edit them here.
    readonly_fields = ("parent", "path")


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation", "role", "includes_descendants")
    list_filter = ("role",)
    raw_id_fields = ("user", "organisation")


class CommitteeMemberInline(admin.TabularInline):
    model = models.CommitteeMember
    raw_id_fields = ("user",)
    extra = 0


@admin.register(models.Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ("name_th", "kind", "organisation", "appointed_on")
    list_filter = ("kind",)
    inlines = [CommitteeMemberInline]


class ReportingRoundInline(admin.TabularInline):
    model = models.ReportingRound
    extra = 0


@admin.register(models.FiscalYear)
class FiscalYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "is_closed")
    inlines = [ReportingRoundInline]


@admin.register(models.Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ("name_th", "fiscal_year", "starts_on", "responsible", "state")
    list_filter = ("fiscal_year", "state")
    readonly_fields = ("state", "reminder_sent_at")
