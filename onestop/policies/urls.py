"""Pages of the policies domain, mounted at the site root (each path carries its own prefix)."""

from django.urls import URLPattern, URLResolver

app_name = "policies"

urlpatterns: list[URLPattern | URLResolver] = []
