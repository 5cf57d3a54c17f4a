"""``{% shared "name" [part …] %} … {% endshared %}``: a part of a page rendered once per
content generation and served to every reader (see :mod:`heatwiki.pagecache.fragments`).

Outside a view that opened fragments (an old revision, an error page) the tag renders its
contents as usual. The parts after the name go into the fragment's key: what differs between
kinds of readers (``is_moderator``), never who the reader is.

``{% own "name" [arg=value …] %} … {% endown %}``: a signed-in reader's own part of a page,
rendered for each of them around the frame stored for all (see
:mod:`heatwiki.pagecache.frames`). It reads the request's context and its arguments alone.
"""

from django import template
from django.template.base import Node, NodeList, Parser, Token, token_kwargs

from heatwiki.pagecache.frames import register_block

register = template.Library()

# Masked inside a fragment: one reader's CSRF token or messages must never be stored for all.
_IN_SHARED = "_in_shared_fragment"
_PER_READER = {"csrf_token": "", "messages": (), _IN_SHARED: True}
_IN_OWN = "_in_own_part"


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


class OwnNode(Node):
    def __init__(self, template_name: str | None, name: str, args: dict, nodelist: NodeList):
        self.template_name = template_name
        self.name = name
        self.args = args
        self.nodelist = nodelist

    def render(self, context) -> str:
        if context.get(_IN_SHARED):
            raise template.TemplateSyntaxError(
                f'{{% own "{self.name}" %}} inside {{% shared %}}: a reader\'s own part would '
                "be stored for every reader."
            )
        args = {key: value.resolve(context) for key, value in self.args.items()}
        recorder = getattr(context.get("request"), "page_frame", None)
        if recorder is None or context.get(_IN_OWN):
            with context.push(args):
                return self.nodelist.render(context)
        with context.push(args, **{_IN_OWN: True}):
            html = self.nodelist.render(context)
        return recorder.mark(self.template_name, self.name, args, html)


@register.tag("own")
def own(parser: Parser, token: Token) -> OwnNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% own %} needs a name in quotes: {% own "tabs" %}')
    name = bits[1][1:-1]
    args = token_kwargs(bits[2:], parser)
    if len(args) != len(bits) - 2:
        raise template.TemplateSyntaxError(f'{{% own "{name}" %}} takes name=value arguments.')
    nodelist = parser.parse(("endown",))
    parser.delete_first_token()
    template_name = parser.origin.template_name if parser.origin else None
    register_block(template_name, name, nodelist)
    return OwnNode(template_name, name, args, nodelist)
