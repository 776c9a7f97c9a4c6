"""URLs that every host answers: accounts, health, the display and language switch, the working-day
calculator."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import healthz
from tenants.display import display_switch
from tenants.forms import (
    SiteAuthenticationForm,
    SitePasswordChangeForm,
    SitePasswordResetForm,
    SiteSetPasswordForm,
)

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SiteAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/two-factor/", include("tenants.urls")),
    # Django's account pages with the project's forms (specific messages); the rest as Django has them.
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=SitePasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=SitePasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SiteSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("text-size/", display_switch, name="display"),
    path("calendar/", include("workdays.urls")),
]
