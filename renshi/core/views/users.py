from axes.models import AccessAttempt
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from renshi.core import services
from renshi.core.decorators import role_required
from renshi.core.models import User
from renshi.core.roles import MANAGE_ROLES, Role


class UserForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    is_active = forms.BooleanField(label="启用", required=False)


@role_required(MANAGE_ROLES)
def user_list(request):
    users = User.objects.order_by("role", "username")
    if q := request.GET.get("q", "").strip():
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    names = [u.username for u in page]
    locked = set(
        AccessAttempt.objects.filter(username__in=names, failures_since_start__gte=5).values_list(
            "username", flat=True
        )
    )
    enrolled = set(
        TOTPDevice.objects.filter(user__in=page.object_list, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    for u in page:
        u.locked = u.username in locked
        u.enrolled = u.pk in enrolled
    return render(request, "core/user_list.html", {"page": page, "q": q})


@role_required(MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except services.AccountError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, f"已创建账号 {user.username}。")
            return redirect("user_list")
    return render(request, "core/user_form.html", {"form": form, "title": "新建账号"})


@role_required(MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    user = get_object_or_404(User, pk=pk)
    initial = {"full_name": user.full_name, "role": user.role, "is_active": user.is_active}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=user, **form.cleaned_data)
        except services.AccountError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, f"已保存 {user.username}。")
            return redirect("user_list")
    return render(
        request,
        "core/user_form.html",
        {"form": form, "title": f"账号 {user.username}", "obj": user},
    )


@role_required(MANAGE_ROLES)
@require_POST
def user_unlock(request, pk):
    user = get_object_or_404(User, pk=pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, f"已解锁 {user.username}。")
    return redirect("user_list")


@role_required(MANAGE_ROLES)
@require_POST
def user_reset_two_factor(request, pk):
    user = get_object_or_404(User, pk=pk)
    services.user_reset_two_factor(actor=request.user, user=user)
    messages.success(request, f"{user.username} 下次登录时将重新绑定身份验证器。")
    return redirect("user_list")
