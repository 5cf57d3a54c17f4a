"""Sign-up that does not tell who has an account (ACCOUNT_PREVENT_ENUMERATION).

allauth hides a taken e-mail address only when every account must confirm its address before
signing in; HeatWiki lets accounts sign in before confirming (they edit only once confirmed).
So sign-up alone follows the confirm-first path: a new account is not signed in at once but
sent the confirmation e-mail, and an address that already has an account gets the same answer
while its owner is told by mail. Both answers are allauth's own ("verification sent").
"""

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal import flows
from allauth.account.models import Login
from allauth.account.utils import filter_users_by_email

CONFIRM_FIRST = app_settings.EmailVerificationMethod.MANDATORY


class SignupForm(AllauthSignupForm):
    def validate_unique_email(self, value: str) -> str:
        # Never "already registered": the taken address is noted, and handled in try_save.
        self.account_already_exists = bool(filter_users_by_email(value))
        return get_adapter().validate_unique_email(value)

    def try_save(self, request):
        if self.account_already_exists:
            # Nothing is created; the owner gets allauth's "account already exists" e-mail.
            login = Login(
                user=None,
                email=self.cleaned_data["email"],
                signup=True,
                email_verification=CONFIRM_FIRST,
            )
            return None, flows.login.perform_login(request, login)
        user = self.save(request)
        response = flows.signup.complete_signup(
            request, user=user, email_verification=CONFIRM_FIRST
        )
        return user, response
