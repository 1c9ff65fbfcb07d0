import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from renshi.core.audit import audit_record


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def lockout_response(request, credentials, *args, **kwargs):
    return render(
        request,
        "registration/locked.html",
        {"minutes": 30},
        status=429,
    )


def _totp_qr(device) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """TOTP set-up on first login, verification on every later login."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "身份验证器"}
        )
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip()
        if token.isdigit() and device.verify_token(token):
            with transaction.atomic():
                if setting_up:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    audit_record(actor=user, action="user.totp_enrol", obj=user)
            otp_login(request, device)
            messages.success(request, "双因素认证已通过。")
            return redirect(request.GET.get("next") or "home")
        error = "动态口令不正确或已过期，请重新输入。"
    return render(
        request,
        "registration/two_factor.html",
        {
            "setting_up": setting_up,
            "qr_svg": _totp_qr(device) if setting_up else "",
            "secret": base64.b32encode(device.bin_key).decode() if setting_up else "",
            "error": error,
        },
    )
