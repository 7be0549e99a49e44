"""DRF authentication by personal API token (``Authorization: Bearer srm_…``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from core.api_tokens import TokenRefused, api_token_authenticate
from core.middleware import language_of
from core.models import ApiToken, User

# "Token" is what DRF's former single token used; scripts written for it keep working.
KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """A request with an ``Authorization: Bearer <token>`` header acts as the token's owner.

    A revoked, expired, unknown or malformed token answers 401 (it never falls back to the
    session). Two-factor sign-in does not apply: the token is the credential.
    """

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as 'Authorization: Bearer <token>'.")
            )
        try:
            presented = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        try:
            user, token = api_token_authenticate(presented)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        # Error messages of the rest of the request speak the token owner's language.
        language = language_of(user)
        if language:
            translation.activate(language)
            request._request.LANGUAGE_CODE = language
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


# drf-spectacular's extension base is untyped; type-check the extension against a plain base.
if TYPE_CHECKING:
    _SchemeBase = object
else:
    _SchemeBase = OpenApiAuthenticationExtension


class ApiTokenScheme(_SchemeBase):
    """How the OpenAPI schema and Swagger UI's "Authorize" describe the token."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from your account page (/account/tokens/).",
        }
