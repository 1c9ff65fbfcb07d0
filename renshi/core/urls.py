from django.contrib.auth import views as auth_views
from django.urls import path

from renshi.core.views import audit, auth, home

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/", auth.two_factor, name="two_factor"),
    path("audit/", audit.audit_list, name="audit_list"),
]
