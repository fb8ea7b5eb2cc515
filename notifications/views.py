from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest

from .forms import PreferencesForm
from .models import OptOut
from .services import preferences_set


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    muted = set(OptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    # Bound on every POST: with every box unticked the body may be empty, and that still means "all off".
    form = PreferencesForm(request.POST if request.method == "POST" else None, user=request.user, muted=muted)
    if request.method == "POST" and form.is_valid():
        preferences_set(user=request.user, enabled=form.cleaned_data["enabled"])
        messages.success(request, "Your email preferences are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
