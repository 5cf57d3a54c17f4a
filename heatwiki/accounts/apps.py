from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heatwiki.accounts"
    label = "accounts"
