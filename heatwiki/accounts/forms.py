"""django-allauth's account forms with the site's plain labels: sentence case, "e-mail"."""

from allauth.account import forms as allauth_forms

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
    pass


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
