from django.apps import AppConfig


class SrmConfig(AppConfig):
    name = "srm"
    verbose_name = "SRM"
