"""How titles are compared: the one rule wiki links, uniqueness and search share."""


def title_key(title: str) -> str:
    """How wiki links match titles: case and runs of spaces do not matter."""
    return " ".join(title.split()).casefold()
