"""``{% shared "name" [part …] %} … {% endshared %}``: a part of a page rendered once per
content generation and served to every reader (see :mod:`heatwiki.pagecache.fragments`).

Outside a view that opened fragments (an old revision, an error page) the tag renders its
contents as usual. The parts after the name go into the fragment's key: what differs between
kinds of readers (``is_moderator``), never who the reader is.
"""

from django import template
from django.template.base import Node, NodeList, Parser, Token

register = template.Library()

# Masked inside a fragment: one reader's CSRF token or messages must never be stored for all.
_PER_READER = {"csrf_token": "", "messages": ()}


class SharedNode(Node):
    def __init__(self, name, parts: list, nodelist: NodeList) -> None:
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context) -> str:
        request = context.get("request")
        fragments = getattr(request, "shared_fragments", None)
        if fragments is None:
            return self.nodelist.render(context)
        name = "\x1f".join(str(part.resolve(context)) for part in [self.name, *self.parts])
        html = fragments.get(name)
        if html is None:
            with context.push(_PER_READER):
                html = self.nodelist.render(context)
            fragments.put(name, html)
        return html


@register.tag("shared")
def shared(parser: Parser, token: Token) -> SharedNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% shared %} needs a name: {% shared "body" %}')
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist
    )
