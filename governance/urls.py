from django.urls import path

from governance.views import calendar, committees, organisations, people

app_name = "governance"

urlpatterns = [
    # Organisation tree
    path("organisations/", organisations.OrganisationTree.as_view(), name="organisation_tree"),
    path(
        "organisations/new/", organisations.OrganisationCreate.as_view(), name="organisation_create"
    ),
    path(
        "organisations/<int:pk>/",
        organisations.OrganisationDetail.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        organisations.OrganisationEdit.as_view(),
        name="organisation_edit",
    ),
    path(
        "organisations/<int:pk>/move/",
        organisations.OrganisationMove.as_view(),
        name="organisation_move",
    ),
    # People and their roles
    path("people/", people.PersonList.as_view(), name="person_list"),
    path("people/new/", people.PersonCreate.as_view(), name="person_create"),
    path("people/<int:pk>/", people.PersonDetail.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", people.PersonEdit.as_view(), name="person_edit"),
    path("people/<int:pk>/password/", people.PersonPassword.as_view(), name="person_password"),
    path("people/<int:pk>/roles/new/", people.MembershipCreate.as_view(), name="membership_create"),
    path("roles/<int:pk>/edit/", people.MembershipEdit.as_view(), name="membership_edit"),
    path("roles/<int:pk>/delete/", people.MembershipDelete.as_view(), name="membership_delete"),
    # Committees
    path("committees/", committees.CommitteeList.as_view(), name="committee_list"),
    path("committees/new/", committees.CommitteeCreate.as_view(), name="committee_create"),
    path("committees/<int:pk>/", committees.CommitteeDetail.as_view(), name="committee_detail"),
    path("committees/<int:pk>/edit/", committees.CommitteeEdit.as_view(), name="committee_edit"),
    path(
        "committees/<int:pk>/members/new/",
        committees.CommitteeMemberAdd.as_view(),
        name="committee_member_add",
    ),
    path(
        "committee-members/<int:pk>/edit/",
        committees.CommitteeMemberEdit.as_view(),
        name="committee_member_edit",
    ),
    path(
        "committee-members/<int:pk>/remove/",
        committees.CommitteeMemberRemove.as_view(),
        name="committee_member_remove",
    ),
    # Fiscal years, reporting rounds and the calendar
    path("years/", calendar.FiscalYearList.as_view(), name="fiscal_year_list"),
    path("years/new/", calendar.FiscalYearCreate.as_view(), name="fiscal_year_create"),
    path("years/<int:pk>/", calendar.FiscalYearDetail.as_view(), name="fiscal_year_detail"),
    path("years/<int:pk>/edit/", calendar.FiscalYearEdit.as_view(), name="fiscal_year_edit"),
    path(
        "rounds/<int:pk>/edit/", calendar.ReportingRoundEdit.as_view(), name="reporting_round_edit"
    ),
    path(
        "years/<int:pk>/milestones/new/",
        calendar.MilestoneCreate.as_view(),
        name="milestone_create",
    ),
    path("milestones/<int:pk>/edit/", calendar.MilestoneEdit.as_view(), name="milestone_edit"),
    path(
        "milestones/<int:pk>/delete/", calendar.MilestoneDelete.as_view(), name="milestone_delete"
    ),
    path(
        "milestones/<int:pk>/<slug:action>/", calendar.MilestoneAct.as_view(), name="milestone_act"
    ),
]
