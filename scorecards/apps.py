from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"

    def ready(self) -> None:
        # Registers the Celery tasks in every process (web too), so the services can queue
        # them by name without importing the task module, which imports the services.
        # Registers the measurements kind of the one importer (core.importing).
        import scorecards.importing
        import scorecards.tasks  # noqa: F401
