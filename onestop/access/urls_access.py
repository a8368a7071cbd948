"""Pages of the access checker and the negative lists, mounted at /access/ (``access``)."""

from django.urls import path

from onestop.access.views import negative_lists as views
from onestop.access.views.edition_import import edition_import_page

app_name = "access"

urlpatterns = [
    path("", views.start, name="start"),
    path("industry-options/", views.industry_options, name="industry_options"),
    path("result/", views.result, name="result"),
    path("editions/", views.editions, name="editions"),
    path("editions/import/", edition_import_page, name="edition_import"),
    path("editions/<int:edition_id>/", views.edition, name="edition"),
    path("editions/<int:edition_id>/items/<int:number>/", views.item, name="item"),
    path("diff/", views.diff, name="diff"),
]
