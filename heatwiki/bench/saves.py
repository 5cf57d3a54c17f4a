"""Saves through the edit form, as a browser makes them: the form is opened (GET), read, and
posted back with one change (POST), one save at a time.

Only the standard library: the benchmark talks to gunicorn over HTTP like any client.
"""

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

# Controls a browser does not send, or sends only when pressed.
UNSENT_INPUTS = {"submit", "button", "file", "image", "reset"}


class EditForm(HTMLParser):
    """The fields of the page's edit form (the form with ``data-edit-form``), as a browser
    would post them untouched: hidden and text inputs, checked boxes, textareas, selected
    options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and "data-edit-form" in attributes:
            self._in_form = True
        if not self._in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type", "text") not in UNSENT_INPUTS:
            if attributes.get("type") in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            else:
                self.fields.append((name, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>; the parser keeps it.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


@dataclass
class Saves:
    saves: int
    seconds: float
    refused: int

    @property
    def per_second(self) -> float:
        return self.saves / self.seconds if self.seconds else 0.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _cookies(header_values: list[str], jar: dict[str, str]) -> None:
    for value in header_values:
        cookie = SimpleCookie()
        cookie.load(value)
        jar.update({name: morsel.value for name, morsel in cookie.items()})


def save_through_form(base_url: str, path: str, cookie: str, count: int) -> Saves:
    """``count`` saves of the page at ``path`` (its address; the form is ``edit/``), each
    appending a line to its body; only the POSTs are timed."""
    name, _, value = cookie.partition("=")
    jar = {name: value}
    posted, refused = 0.0, 0
    for n in range(count):
        header = "; ".join(f"{k}={v}" for k, v in jar.items())
        request = urllib.request.Request(f"{base_url}{path}edit/", headers={"Cookie": header})
        with urllib.request.urlopen(request) as response:
            _cookies(response.headers.get_all("Set-Cookie") or [], jar)
            form = EditForm()
            form.feed(response.read().decode())
        changed = {"summary": f"Benchmark save {n}"}
        fields = [
            (key, f"{text}\n\nThe benchmark's save {n}." if key == "body" else text)
            for key, text in form.fields
            if key not in changed
        ]
        fields += changed.items()
        header = "; ".join(f"{k}={v}" for k, v in jar.items())
        post = urllib.request.Request(
            f"{base_url}{path}edit/",
            data=urlencode(fields).encode(),
            headers={"Cookie": header, "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        started = time.perf_counter()
        try:
            with _opener.open(post) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as error:
            status = error.code
        posted += time.perf_counter() - started
        # A save answers with a redirect to the page; anything else was refused.
        refused += status != 302
    return Saves(count, posted, refused)


def sequential_rate(url: str, count: int) -> float:
    """Requests a second of ``url`` one at a time: the floor for saves, made the same way."""
    started = time.perf_counter()
    for _ in range(count):
        with urllib.request.urlopen(url) as response:
            response.read()
    return count / (time.perf_counter() - started)
