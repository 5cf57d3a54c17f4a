"""Judges HTML by parsing it: does it contain anything that can run script?"""

import re
from html.parser import HTMLParser

SCRIPT_CAPABLE_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta",
    "frame", "frameset", "applet", "link", "template",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "srcset", "xlink:href", "data", "poster",
    "background", "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "ping",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def unsafe_url(value: str) -> bool:
    match = _SCHEME.match(_IGNORED.sub("", value).lower())
    return bool(match) and match.group(1) not in SAFE_SCHEMES


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SCRIPT_CAPABLE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            elif name in URL_ATTRIBUTES:
                urls = [part.strip().split(" ")[0] for part in value.split(",")]
                if name != "srcset":
                    urls = [value]
                if any(unsafe_url(url) for url in urls):
                    self.problems.append(f"{tag}[{name}={value!r}]")

    handle_startendtag = handle_starttag


def script_capable_markup(html: str) -> list[str]:
    """What in ``html`` could run script; empty when nothing can."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.problems
