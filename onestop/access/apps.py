from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "onestop.access"
    label = "access"
    verbose_name = _("Market access")

    def ready(self) -> None:
        # The server builds the checker's snapshot once before forking its workers.
        from onestop.access.services.checker_data import checker_data
        from onestop.core import warmup

        warmup.register(checker_data)
