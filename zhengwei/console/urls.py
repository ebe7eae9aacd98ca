from django.urls import path

from zhengwei.console import views
from zhengwei.console.admin_views import accounts, organisations, people, roster, rules

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico by themselves (pages link the SVG): no 404, no audit row.
    path("favicon.ico", views.favicon, name="favicon"),
    # Organisations
    path("orgs/", organisations.organisation_list, name="organisation_list"),
    path("orgs/new/", organisations.organisation_create, name="organisation_create"),
    path("orgs/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    # WeChat accounts
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", accounts.account_edit, name="account_edit"),
    # People and their roles
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/active/", people.person_set_active, name="person_set_active"),
    path("people/<int:pk>/security/", people.person_security, name="person_security"),
    path("people/<int:pk>/grants/", people.person_grant, name="person_grant"),
    path("people/<int:pk>/grants/roles/", people.person_grant_roles, name="person_grant_roles"),
    path("grants/<int:pk>/revoke/", people.grant_revoke, name="grant_revoke"),
    path("role-rules/", rules.role_rules, name="role_rules"),
    # Duty roster
    path("roster/", roster.roster_week, name="roster"),
    path("roster/shifts/new/", roster.shift_create, name="shift_create"),
    path("roster/shifts/people/", roster.shift_people, name="shift_people"),
    path("roster/shifts/<int:pk>/delete/", roster.shift_delete, name="shift_delete"),
]
