"""Personal API tokens: ``Authorization: Bearer hw_…``. Read access only, at the higher rate."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken, hash_token

KEYWORDS = {b"bearer", b"token"}
# How stale a token's "last used" may get before a request writes it again.
LAST_USED_PRECISION = timedelta(hours=1)


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("This token is unknown or revoked.") from None
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_token(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("This token is unknown or revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="HeatWiki API"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the tokens."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from your account's API tokens page: higher "
            "rate limits, read access only.",
        }
