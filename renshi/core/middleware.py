import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

EXEMPT_PREFIXES = ("/static/", "/accounts/", "/api/", "/media/")


class IdleTimeoutMiddleware:
    """Log out a session idle for IDLE_TIMEOUT_SECONDS (等保 8.1.4.1 b)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            now = int(time.time())
            last = request.session.get("last_seen", now)
            if now - last > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, "因长时间未操作，您已自动退出，请重新登录。")
                # Candidates log in on the exam site's own page (named, so core imports no app).
                login_url = "exams:candidate_login" if request.path.startswith("/exams/") else None
                return redirect_to_login(request.get_full_path(), login_url)
            # Refresh at most once a minute: a session write on every GET turns reads into writes.
            if now - last >= 60 or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Bureau staff and administrators must pass a TOTP check before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_STAFF_2FA
            and user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect("two_factor")
        return self.get_response(request)
