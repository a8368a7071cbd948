"""Pages of the applications domain, mounted at the site root (each path carries its own prefix)."""

from django.urls import URLPattern, URLResolver

app_name = "applications"

urlpatterns: list[URLPattern | URLResolver] = []
