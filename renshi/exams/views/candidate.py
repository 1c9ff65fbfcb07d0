"""Candidate accounts: sign-up with an SMS code, login by ID or phone number, password reset.

Logins go through django.contrib.auth.authenticate, so django-axes counts failures and locks the
account and the address after AXES_FAILURE_LIMIT. A captcha is asked after a few failures from
the same session or address, before axes' lock is reached.
"""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renshi.core import crypto, idnumbers
from renshi.core.roles import Role
from renshi.exams import captcha, throttle
from renshi.exams.forms_candidate import LoginForm, PhoneForm, ResetForm, SignupForm
from renshi.exams.services.candidates import (
    CandidateError,
    candidate_register,
    candidate_reset_password,
    candidate_send_code,
    find_candidate,
)

CAPTCHA_AFTER = 3  # failed logins (or sign-up posts) from a session or address
ATTEMPT_WINDOW = 30 * 60
SIGNUPS_PER_IP_PER_HOUR = 30
CAPTCHA_PURPOSES = ("login", "signup", "reset", "reclaim", "scores")
LOCKOUT_MINUTES = 30


# --- Captcha and counters, shared by the public forms ----------------------------------------


def _attempts_key(request, purpose):
    return f"attempts:{purpose}:{throttle.client_ip(request)}"


def count_attempt(request, purpose: str, *, in_session: bool = True) -> None:
    if in_session:
        request.session[f"attempts:{purpose}"] = request.session.get(f"attempts:{purpose}", 0) + 1
    throttle.hit(_attempts_key(request, purpose), window=ATTEMPT_WINDOW)


def captcha_needed(request, purpose: str) -> bool:
    return (
        request.session.get(f"attempts:{purpose}", 0) >= CAPTCHA_AFTER
        or throttle.count(_attempts_key(request, purpose)) >= CAPTCHA_AFTER
    )


def captcha_passed(request, form, purpose: str, needed: bool) -> bool:
    """Check the captcha when one is needed; the answer works once either way."""
    if not needed:
        return True
    if captcha.check(request.session, purpose, request.POST.get("captcha", "")):
        return True
    form.add_error("captcha", "图形验证码错误，请重新输入（点击图片可换一张）")
    return False


@require_GET
def captcha_image(request, purpose):
    if purpose not in CAPTCHA_PURPOSES:
        raise Http404
    response = HttpResponse(captcha.new_challenge(request.session, purpose), "image/png")
    response["Cache-Control"] = "no-store"
    return response


def send_code(request, purpose: str) -> str:
    """Handle the 获取验证码 button; return an error for the phone field, or ''."""
    phone_form = PhoneForm(request.POST)
    if not phone_form.is_valid():
        return phone_form.errors["phone"][0] if "phone" in phone_form.errors else ""
    phone = phone_form.cleaned_data["phone"]
    try:
        candidate_send_code(phone=phone, purpose=purpose, ip=throttle.client_ip(request))
    except CandidateError as e:
        return e.message
    messages.success(request, f"验证码已发送至{idnumbers.mask_phone(phone)}，5分钟内有效。")
    return ""


def send_code_action(request, form_class, purpose: str, needed: bool, keep):
    """The 获取验证码 button: send, then the form again with what was typed (no passwords)."""
    if needed and not captcha.check(request.session, purpose, request.POST.get("captcha", "")):
        error = "图形验证码错误，请重新输入（点击图片可换一张）"
    else:
        error = send_code(request, purpose)
    return form_class(initial={k: request.POST.get(k, "") for k in keep}), error


def apply_error(form, error: CandidateError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- Sign-up, login, logout, reset -----------------------------------------------------------


def code_form(request, form_class, purpose: str, keep, act):
    """A public form proved by an SMS code: the 获取验证码 button, the captcha once needed, then
    `act(cleaned_data)`. Returns act's result (None until it succeeds) and the page context."""
    needed = captcha_needed(request, purpose)
    form, sms_error, result = form_class(request.POST or None, request.FILES or None), "", None
    if request.method == "POST":
        count_attempt(request, purpose)
        if request.POST.get("action") == "send_code":
            form, sms_error = send_code_action(request, form_class, purpose, needed, keep)
        elif form.is_valid() and captcha_passed(request, form, purpose, needed):
            try:
                result = act(form.cleaned_data)
            except CandidateError as e:
                apply_error(form, e)
    context = {"form": form, "sms_error": sms_error, "captcha": captcha_needed(request, purpose)}
    return result, context


@require_http_methods(["GET", "POST"])
def candidate_signup(request):
    if request.user.is_authenticated and request.user.role == Role.CANDIDATE:
        return redirect("exams:candidate_home")

    def register(data):
        if throttle.hit(f"signup-ip:{throttle.client_ip(request)}", window=3600) > (
            SIGNUPS_PER_IP_PER_HOUR
        ):
            raise CandidateError("注册操作过于频繁，请1小时后再试")
        fields = ["name", "id_number", "phone", "code", "password", "email"]
        return candidate_register(**{f: data[f] for f in fields})

    keep = ["name", "id_number", "phone", "email"]
    candidate, context = code_form(request, SignupForm, "signup", keep, register)
    if candidate is None:
        return render(request, "exams/candidate/signup.html", context)
    login(request, candidate.user, backend="renshi.exams.auth.UserWithCandidateBackend")
    messages.success(request, "注册成功。请完善个人信息并上传照片后再报名。")
    return redirect("exams:candidate_home")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("exams:candidate_home")


def _authenticate(request, identifier: str, password: str):
    candidate = find_candidate(identifier)
    # Unknown numbers still go through authenticate() so axes counts and locks them alike.
    username = (
        candidate.user.username
        if candidate
        else "unknown:" + crypto.blind_index(idnumbers.normalize(identifier))[:16]
    )
    user = authenticate(request, username=username, password=password)
    return user if user is not None and user.role == Role.CANDIDATE else None


@require_http_methods(["GET", "POST"])
def candidate_login(request):
    if request.user.is_authenticated and request.user.role == Role.CANDIDATE:
        return redirect(_next_url(request))
    needed = captcha_needed(request, "login")
    form = LoginForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and captcha_passed(request, form, "login", needed)
    ):
        data = form.cleaned_data
        user = _authenticate(request, data["identifier"], data["password"])
        if getattr(request, "axes_locked_out", False):
            # Answer in the candidate's own page; AxesMiddleware would show the staff one.
            request.axes_locked_out = False
            context = {"minutes": LOCKOUT_MINUTES}
            return render(request, "exams/candidate/locked.html", context, status=429)
        if user is not None:
            login(request, user)
            request.session.pop("attempts:login", None)
            return redirect(_next_url(request))
        count_attempt(request, "login")
        form.add_error(None, "身份证号码/手机号码或密码错误")
    next_url = _next_url(request)
    context = {"form": form, "captcha": captcha_needed(request, "login"), "next": next_url}
    return render(request, "exams/candidate/login.html", context)


@require_POST
def candidate_logout(request):
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("exams:candidate_login")


@require_http_methods(["GET", "POST"])
def candidate_password_reset(request):
    def reset(data):
        fields = ["id_number", "phone", "code", "password"]
        return candidate_reset_password(**{f: data[f] for f in fields}) or True

    done, context = code_form(request, ResetForm, "reset", ["id_number", "phone"], reset)
    if not done:
        return render(request, "exams/candidate/reset.html", context)
    messages.success(request, "密码已重置，请使用新密码登录。")
    return redirect("exams:candidate_login")
