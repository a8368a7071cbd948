"""Pages of the enterprises domain, mounted at the site root (each path carries its own prefix)."""

from django.urls import URLPattern, URLResolver, path

from onestop.enterprises import views

app_name = "enterprises"

urlpatterns: list[URLPattern | URLResolver] = [
    path("enterprises/register/mine/", views.mine, name="mine"),
    path("enterprises/register/", views.register, name="register"),
    path("enterprises/<int:enterprise_id>/register/", views.record, name="record"),
    path("enterprises/register/imports/", views.imports, name="imports"),
    path("enterprises/register/imports/<int:run_id>/", views.import_run, name="import_run"),
    path(
        "enterprises/register/imports/<int:run_id>/errors.csv",
        views.import_report,
        name="import_report",
    ),
]
