from django.apps import AppConfig


class SrmConfig(AppConfig):
    name = "srm"
    verbose_name = "SRM"

    def ready(self) -> None:
        # Imported here, once the apps are loaded: the middleware module uses their models.
        from django.contrib.auth.signals import user_logged_in

        from srm.middleware import session_signed_in  # uses the apps' models: after loading

        # Session bookkeeping at sign-in (its clocks, what the second factor needs), so the
        # middleware writes nothing on an ordinary page.
        user_logged_in.connect(session_signed_in, dispatch_uid="srm-session-signed-in")
