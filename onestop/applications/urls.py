"""Pages of the applications domain, mounted at the site root (each path carries its own prefix)."""

from django.urls import URLPattern, URLResolver, path

from onestop.applications import views, views_officer, views_verify

app_name = "applications"

urlpatterns: list[URLPattern | URLResolver] = [
    # Applicants
    path("applications/", views.mine, name="mine"),
    path("applications/start/<slug:code>/", views.start, name="start"),
    path("applications/<str:reference>/", views.detail, name="detail"),
    path("applications/<str:reference>/profile/", views.profile, name="profile"),
    path(
        "applications/<str:reference>/documents/<int:document_id>/",
        views.upload,
        name="upload",
    ),
    path("applications/<str:reference>/check/", views.check, name="check"),
    path("applications/<str:reference>/submit/", views.submit, name="submit"),
    path("applications/<str:reference>/submitted/", views.submitted, name="submitted"),
    path(
        "applications/<str:reference>/cases/<int:case_id>/correction/",
        views.correction,
        name="correction",
    ),
    path(
        "applications/<str:reference>/cases/<int:case_id>/certificate.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    # Officers
    path("officer/cases/", views_officer.queue, name="queue"),
    path("officer/cases/<int:case_id>/", views_officer.case_detail, name="case"),
    path("officer/cases/<int:case_id>/actions/", views_officer.case_action, name="case_action"),
    # Anyone: check a certificate
    path("verify/", views_verify.verify_form, name="verify_form"),
    path("verify/<str:code>/", views_verify.verify, name="verify"),
]
