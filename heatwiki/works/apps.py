import re

from django.apps import AppConfig

QUALIFIER = re.compile(r"\s*\([^)]*\)$")


def _label(kind: str, title: str) -> str:
    # "the novel Heat 2": the title without the "(novel)" that tells works apart in lists.
    return f"the {kind} {QUALIFIER.sub('', title)}"


class WorksConfig(AppConfig):
    name = "heatwiki.works"
    label = "works"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from heatwiki.wiki import layers

        from .models import Work

        def works_as_layers() -> list[layers.Layer]:
            rows = Work.objects.order_by("year", "pk").values_list("pk", "slug", "title", "kind")
            return [
                layers.Layer(pk, slug, title, _label(str(Work.Kind(kind).label).lower(), title))
                for pk, slug, title, kind in rows
            ]

        # Every work is a spoiler layer: a reader picks the works they know.
        layers.provide(works_as_layers)

        def forget(sender, **kwargs) -> None:
            layers.forget()

        post_save.connect(forget, sender=Work, weak=False, dispatch_uid="works-layers-save")
        post_delete.connect(forget, sender=Work, weak=False, dispatch_uid="works-layers-delete")
