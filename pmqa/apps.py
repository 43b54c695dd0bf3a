from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PmqaConfig(AppConfig):
    name = "pmqa"
    verbose_name = _("PMQA")
