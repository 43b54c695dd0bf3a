from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from governance.views import accounts, home

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("language/", accounts.set_language, name="set_language"),
    path("healthz", accounts.healthz, name="healthz"),
    path("", include("governance.urls")),
    path("", include("kpis.urls")),
    path("", include("agreements.urls")),
    # The Django admin is for support staff; the product's own pages are the UI.
    path("django-admin/", admin.site.urls),
]
