from django.contrib.auth import views as auth_views
from django.urls import path

from renshi.core.views import audit, auth, calendar, codes, home, users

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz/", home.healthz, name="healthz"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/", auth.two_factor, name="two_factor"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("codes/", codes.code_tables, name="code_tables"),
    path("calendar/", calendar.calendar_year, name="work_calendar"),
    path("calendar/day/", calendar.calendar_day, name="work_calendar_day"),
    path("calendar/year/", calendar.calendar_year_entry, name="work_calendar_year"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/unlock/", users.user_unlock, name="user_unlock"),
    path("users/<int:pk>/reset-2fa/", users.user_reset_two_factor, name="user_reset_2fa"),
]
