from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        # Registers the partner kinds of the one importer (core.importing) in every process.
        import partners.importing  # noqa: F401
