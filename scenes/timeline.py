"""The timeline of scenes: in story order (work by work) or in the universe's chronology.

Scenes of works the reader has not chosen in "My Heat" are left out, like everywhere else.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heatwiki.wiki.layers import exclude_hidden, reader_layers

from .models import Location, Scene

ORDERS = {"story": "Story order", "chronology": "Chronology"}
# The universe's eras, by the in-universe year: the novel's 1988 prequel, the film's 1995,
# and what follows the shootout.
FILM_YEAR = 1995


@dataclass
class Group:
    title: str
    note: str = ""
    scenes: list = field(default_factory=list)


def era(scene: Scene) -> tuple[int, str, str]:
    """The scene's era: its rank, its name and a short note."""
    if scene.story_date is None:
        return 3, "When unknown", "Scenes whose in-universe date is not recorded yet."
    year = scene.story_date.year
    if year < FILM_YEAR:
        return 0, "Before Heat", "The prequel years, 1988 in the novel Heat 2."
    if year == FILM_YEAR:
        return 1, "1995", "The year of Heat."
    return 2, "After 1995", "After the shootout: the sequel of the novel Heat 2."


def timeline_scenes(request: HttpRequest, filters: dict) -> QuerySet:
    Character = Scene.objects.related_model("characters")
    scenes = Scene.objects.select_related("work").prefetch_related(
        Prefetch("locations", queryset=Location.objects.only("title", "slug", "page_kind")),
        Prefetch("characters", queryset=Character.objects.only("title", "slug", "page_kind")),
    )
    if filters["work"]:
        scenes = scenes.filter(work__slug=filters["work"])
    if filters["character"]:
        scenes = scenes.filter(characters__slug=filters["character"])
    if filters["location"]:
        scenes = scenes.filter(locations__slug=filters["location"])
    scenes = exclude_hidden(scenes, reader_layers(request))
    if filters["order"] == "chronology":
        return scenes.order_by(
            F("story_date").asc(nulls_last=True),
            F("work__year").asc(nulls_last=True),
            "work__title",
            "position",
        )
    return scenes.order_by(F("work__year").asc(nulls_last=True), "work__title", "position")


def group(scenes: list[Scene], order: str) -> list[Group]:
    groups: dict = {}
    for scene in scenes:
        if order == "chronology":
            rank, title, note = era(scene)
            key = (rank, title)
        else:
            key, title, note = scene.work_id, scene.work.title, ""
        groups.setdefault(key, Group(title, note)).scenes.append(scene)
    if order == "chronology":
        return [groups[key] for key in sorted(groups)]
    return list(groups.values())


def timeline(request: HttpRequest) -> HttpResponse:
    """``/timeline/``: ``?order=story|chronology``, ``?work=``, ``?character=``,
    ``?location=`` (addresses of pages); unknown values are ignored, not errors."""
    Work = Scene.objects.related_model("work")
    Character = Scene.objects.related_model("characters")
    reading = reader_layers(request)
    works = list(exclude_hidden(Work.objects.only("title", "slug", "page_kind"), reading))
    characters = list(
        exclude_hidden(
            Character.objects.only("title", "slug", "page_kind").order_by("title"), reading
        )
    )
    locations = list(Location.objects.only("title", "slug", "page_kind").order_by("title"))

    def chosen(name: str, pages: list) -> str:
        value = request.GET.get(name, "")
        return value if value in {page.slug for page in pages} else ""

    order = request.GET.get("order", "")
    filters = {
        "order": order if order in ORDERS else "story",
        "work": chosen("work", works),
        "character": chosen("character", characters),
        "location": chosen("location", locations),
    }
    scenes = list(timeline_scenes(request, filters).distinct())
    context = {
        "groups": group(scenes, filters["order"]),
        "count": len(scenes),
        "filters": filters,
        "orders": ORDERS,
        "works": works,
        "characters": characters,
        "locations": locations,
    }
    return render(request, "scenes/timeline.html", context)
