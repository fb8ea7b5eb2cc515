from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse

from .forms import LoginForm, ProfileForm
from .http import AuthenticatedHttpRequest, signed_in_user
from .models import AuthEvent
from .passwords import password_reset_completed, password_reset_deliver, password_reset_request
from .services import user_password_changed


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # Staff start their day at the desk; employees at their requests.
        if signed_in_user(self.request).is_desk_user:
            return reverse("desk:list")
        return reverse("home")


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user_password_changed(user=form.user, request=self.request, kind=AuthEvent.Kind.PASSWORD_CHANGED)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Queues the reset email in the outbox; the same answer whether or not an account exists."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        with transaction.atomic():
            users = password_reset_request(email=form.cleaned_data["email"], request=self.request)
            password_reset_deliver(users=users)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_completed(user=form.user, request=self.request)
        return response


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
