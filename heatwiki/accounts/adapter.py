"""HeatWiki's django-allauth adapter: sign-in lockouts count per account, with a clear message."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email, filter_users_by_username

LOCKED_OUT = (
    "Too many failed sign-ins: signing in to this account (or from your address) is paused for "
    "a few minutes. Try again later, or reset your password by e-mail."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, "too_many_login_attempts": LOCKED_OUT}

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """One failed-sign-in counter per account, whether its username or its e-mail address
        was typed: allauth counts each login string apart, which gives an attacker twice the
        tries. A login that names no account keeps allauth's own key.

        allauth calls this for the lockout itself, to roll a successful sign-in's try back, and
        to clear the lockout after a password reset, so all three agree on the key.
        """
        user = self._account_for(credentials)
        if user is not None:
            return f"account:{user.pk}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    @staticmethod
    def _account_for(credentials: dict):
        email, username = credentials.get("email"), credentials.get("username")
        users = filter_users_by_email(email) if email else []
        if not users and username:
            users = list(filter_users_by_username(username))
        return users[0] if len(users) == 1 else None
