"""Pages of the industry classification, mounted at /industries/ (namespace ``industries``)."""

from django.urls import path

from onestop.access.views import industries as views

app_name = "industries"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.results, name="results"),
    path("<str:code>/", views.detail, name="detail"),
]
