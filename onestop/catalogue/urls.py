"""Pages of the service catalogue and the licence finder, mounted at /services/."""

from django.urls import path

from onestop.catalogue import views, views_finder

app_name = "catalogue"

urlpatterns = [
    path("", views.services, name="services"),
    path("cpsv-ap.ttl", views.cpsv_ttl, name="cpsv_ttl"),
    path("cpsv-ap.jsonld", views.cpsv_jsonld, name="cpsv_jsonld"),
    path("finder/", views_finder.start, name="finder"),
    path("finder/<slug:code>/check/", views_finder.check, name="finder_check"),
    path("finder/<slug:code>/plan/", views_finder.plan, name="finder_plan"),
    path("finder/<slug:code>/<int:step>/", views_finder.question, name="finder_question"),
    path("<slug:identifier>/", views.service, name="service"),
    path("<slug:identifier>/edit/", views.service_edit, name="service_edit"),
]
