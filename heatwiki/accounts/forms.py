"""django-allauth's account forms with the site's plain labels (sentence case, "e-mail"), and a
sign-up that does not tell who has an account (ACCOUNT_PREVENT_ENUMERATION).

allauth hides a taken e-mail address only when every account must confirm its address before
signing in; HeatWiki lets accounts sign in before confirming (they edit only once confirmed).
So sign-up alone follows the confirm-first path: a new account is not signed in at once but
sent the confirmation e-mail, and an address that already has an account gets the same answer
while its owner is told by mail. Both answers are allauth's own ("verification sent").
"""

from allauth.account import app_settings
from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.internal import flows
from allauth.account.models import Login
from allauth.account.utils import filter_users_by_email

CONFIRM_FIRST = app_settings.EmailVerificationMethod.MANDATORY

# Labels that say more than allauth's; every other label is put in sentence case.
LABELS = {
    "login": "Username or e-mail address",
    "email": "E-mail address",
    "remember": "Keep me signed in on this device",
    "oldpassword": "Current password",
    "password1": "Password",
    "password2": "Password (again)",
}
NEW_PASSWORD_LABELS = {"password1": "New password", "password2": "New password (again)"}


class PlainLabels:
    """Labels as the rest of the site writes them; no placeholders repeating them."""

    labels = LABELS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.labels:
                field.label = self.labels[name]
            else:
                label = str(field.label or "")
                field.label = label[:1].upper() + label[1:].lower()
            field.widget.attrs.pop("placeholder", None)


class LoginForm(PlainLabels, allauth_forms.LoginForm):
    pass


class SignupForm(PlainLabels, allauth_forms.SignupForm):
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


class AddEmailForm(PlainLabels, allauth_forms.AddEmailForm):
    pass


class ChangePasswordForm(PlainLabels, allauth_forms.ChangePasswordForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}


class SetPasswordForm(PlainLabels, allauth_forms.SetPasswordForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}


class ResetPasswordForm(PlainLabels, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlainLabels, allauth_forms.ResetPasswordKeyForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}
