"""Pages of the policies domain, mounted at the site root (each path carries its own prefix).

- ``support/``: an enterprise's own support ("support for me"), confirm or apply in one step;
- ``policies/``: the public list and pages of published policies;
- ``policies/manage/`` and below: the policy officers' editor, publishing and statistics.
"""

from django.urls import URLPattern, URLResolver, path

from onestop.policies import views, views_officer

app_name = "policies"

urlpatterns: list[URLPattern | URLResolver] = [
    path("support/", views.support, name="support"),
    path("support/<int:match_id>/", views.support_match, name="support_match"),
    path("support/<int:match_id>/confirm/", views.support_confirm, name="support_confirm"),
    path("support/<int:match_id>/apply/", views.support_apply, name="support_apply"),
    path("policies/", views.policy_list, name="list"),
    path("policies/manage/", views_officer.manage, name="manage"),
    path("policies/new/", views_officer.policy_create, name="create"),
    path("policies/check/", views_officer.rule_check, name="rule_check"),
    path("policies/<slug:code>/", views.policy_detail, name="detail"),
    path("policies/<slug:code>/edit/", views_officer.policy_edit, name="edit"),
    path("policies/<slug:code>/publish/", views_officer.policy_publish, name="publish"),
    path("policies/<slug:code>/withdraw/", views_officer.policy_withdraw, name="withdraw"),
    path("policies/<slug:code>/stats/", views_officer.policy_stats, name="stats"),
]
