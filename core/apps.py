from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers of the running app's signals).
        from celery import signals as celery_signals
        from django.core import signals as django_signals
        from django.db.models import signals as model_signals

        from core import user_access, wakeup  # after the registry too, like the imports above
        from core.models import User  # models need the registry as well

        # A request's or task's outbox rows wake a worker once, when it is finished.
        django_signals.request_started.connect(wakeup.defer_wakes, dispatch_uid="outbox-req")
        django_signals.request_finished.connect(wakeup.flush_wakes, dispatch_uid="outbox-req")
        celery_signals.task_prerun.connect(wakeup.defer_wakes, dispatch_uid="outbox-task")
        celery_signals.task_postrun.connect(wakeup.flush_wakes, dispatch_uid="outbox-task")
        # A (re)started worker sweeps at once: what a killed worker left comes back soon.
        celery_signals.worker_ready.connect(wakeup.sweep_on_worker_start, dispatch_uid="outbox")
        # Deactivating a user (admin, service or shell) ends their sessions and API tokens.
        model_signals.pre_save.connect(
            user_access._remember_active, sender=User, dispatch_uid="user-active"
        )
        model_signals.post_save.connect(
            user_access._end_access_when_deactivated, sender=User, dispatch_uid="user-active"
        )
