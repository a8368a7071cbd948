"""Pages of the enterprises domain, mounted at the site root (each path carries its own prefix)."""

from django.urls import URLPattern, URLResolver

app_name = "enterprises"

urlpatterns: list[URLPattern | URLResolver] = []
