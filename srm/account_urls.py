"""The signed-in user's own account pages (``/account/…``)."""

from django.urls import path

from srm import accounts

app_name = "account"

urlpatterns = [
    path("", accounts.account_home, name="home"),
    path("two-factor/", accounts.two_factor_page, name="two-factor"),
    path("two-factor/confirm/", accounts.two_factor_confirm, name="two-factor-confirm"),
    path("two-factor/recovery-codes/", accounts.recovery_codes_new, name="recovery-codes"),
    path("two-factor/off/", accounts.two_factor_off, name="two-factor-off"),
    path("two-factor/roles/", accounts.role_policies, name="roles"),
    path("tokens/", accounts.tokens_page, name="tokens"),
    path("tokens/<int:token_id>/revoke/", accounts.token_revoke, name="token-revoke"),
]
