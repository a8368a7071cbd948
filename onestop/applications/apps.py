from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "onestop.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Notification kinds, and who besides the owner may download a document: officers of
        # agencies holding a case that needs it (core's document access registry).
        from onestop.applications import notifications  # noqa: F401
        from onestop.applications.selectors import document_visible_to_case_agency
        from onestop.core.documents import register_document_access

        register_document_access(document_visible_to_case_agency)
