"""URLs that every host answers: accounts, health, language switch, the working-day calculator."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import healthz
from tenants.forms import SiteAuthenticationForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SiteAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/two-factor/", include("tenants.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calendar/", include("workdays.urls")),
]
