from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "srm.core"
    label = "core"
    verbose_name = "Core"
