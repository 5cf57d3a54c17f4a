"""The admin's sign-in form, counted against the same failed-sign-in limits as the site's.

The admin signs in through allauth's authentication (the account adapter), so a failure at
``/admin/login/`` counts against the account and the address exactly as one at
``/accounts/login/`` does, and a lockout reached on either form holds on both.
"""

from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class LimitedAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # Raises the lockout's ValidationError before checking the password; counts a
            # failure, and rolls a success's try back, as allauth's own sign-in does.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
