from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Performance agreements")

    def ready(self) -> None:
        from agreements.home import sar_panel
        from governance.home_panels import register

        register(sar_panel)
