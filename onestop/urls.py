from django.contrib import admin
from django.urls import include, path

from onestop.api import api

urlpatterns = [
    # The API first: Django tries patterns in order, and the pages' catch-all includes ("")
    # made every API request walk them before reaching it.
    path("api/v1/", api.urls),
    path("", include("onestop.core.urls")),
    path("industries/", include("onestop.access.industry_urls")),
    path("access/", include("onestop.access.urls_access")),
    path("services/", include("onestop.catalogue.urls")),
    path("", include("onestop.enterprises.urls")),
    path("", include("onestop.policies.urls")),
    path("", include("onestop.applications.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "onestop.core.views.permission_denied"
handler404 = "onestop.core.views.page_not_found"
handler500 = "onestop.core.views.server_error"
