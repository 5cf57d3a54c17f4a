from django.db import models


class ContentGeneration(models.Model):
    """One row: a number that moves on with every change to what readers can see.

    It lives in the database, not the cache, so every app server and every worker reads the
    same value whatever cache backend it has, and a reset cache cannot bring an old value back.
    """

    value = models.BigIntegerField()

    class Meta:
        verbose_name = "content generation"

    def __str__(self) -> str:
        return str(self.value)
