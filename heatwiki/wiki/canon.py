"""Canon and certainty: where a fact comes from, shown as a small badge beside it.

The film and the novel are canon of different kinds; production facts (casting, filming)
come from the makers; reporting is what the press claims, with the claim's status (rumour,
reported, confirmed, denied) kept by the news item itself.
"""

from django.db import models


class Canon(models.TextChoices):
    FILM = "film", "Film"
    NOVEL = "novel", "Novel"
    PRODUCTION = "production", "Production"
    REPORTING = "reporting", "Reporting"


def canon_field(help_text: str) -> models.CharField:
    return models.CharField(
        "source of the facts", max_length=12, choices=Canon, blank=True, help_text=help_text
    )
