"""Full-text search over the search documents, on PostgreSQL or SQLite, with one result shape.

Queries use web search syntax on both: words, "quoted phrases", -exclusions and "or".
Ranking puts an exact title first, then pages whose title matches the query, then the rest by
relevance, where the title weighs more than the fields and the fields more than the body.
On PostgreSQL a plain query whose words find nothing finds the titles it misspells (pg_trgm).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from heatwiki.wiki.kinds import kind_model
from heatwiki.wiki.layers import EVERYONE, Reading, hidden_pages
from heatwiki.wiki.models import WikiPage
from heatwiki.wiki.titles import title_key

QUERY_MAX_LENGTH = 200
# How close a misspelt query must be to a title, as pg_trgm word similarity (0 to 1).
TYPO_SIMILARITY = 0.45
# Snippet highlight markers: control characters that escaping leaves alone.
START, STOP = "\x02", "\x03"
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Control characters: PostgreSQL refuses NUL in text, and STX/ETX mark highlights.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A term the full-text tokenizers index: it has a letter or a digit ("-", "*", "(" have none).
INDEXED = re.compile(r"[^\W_]")
PAGES = WikiPage._meta.db_table


@dataclass
class Hit:
    page: WikiPage
    kind_name: str
    snippet: SafeString


def clean_query(query: str) -> str:
    """The query as searched: no control characters, runs of spaces as one."""
    return " ".join(CONTROL.sub(" ", query).split())


def highlight(snippet: str) -> SafeString:
    """A snippet with its matches in <mark>: the text is escaped first, then marked."""
    text = escape(snippet.replace(STOP + " " + START, " "))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


def is_plain(query: str) -> bool:
    """No phrases, exclusions or "or": the words a reader types, where typos are likely."""
    # A hyphen inside a word ("coffee-shop") is not an exclusion.
    return not re.search(r'"|(?:^|\s)-|\bor\b', query, flags=re.IGNORECASE)


def parse(query: str) -> tuple[list[str], list[str]]:
    """Web search syntax as FTS5 terms: (what pages must match, what they must not).

    Every term is quoted, so no input is FTS5 syntax; "or" joins the terms either side of it
    into one. Terms with nothing the tokenizer indexes ("-", "*", "(") are left out.
    """
    positives: list[str] = []
    negatives: list[str] = []
    pending_or = False
    for match in TOKEN.finditer(query):
        negate, phrase, word = match[1], match[2], match[3]
        if word and word.lower() == "or":
            pending_or = bool(positives)
            continue
        if word and word.startswith("-") and len(word) > 1:
            negate, word = "-", word[1:]
        term = " ".join((phrase if phrase is not None else word).replace('"', " ").split())
        if not INDEXED.search(term):
            continue
        quoted = f'"{term}"'
        if negate:
            negatives.append(quoted)
        elif pending_or:
            positives[-1] = f"({positives[-1]} OR {quoted})"
            pending_or = False
        else:
            positives.append(quoted)
    return positives, negatives


def fts5_query(query: str) -> str:
    """Web search syntax as an FTS5 query; empty when the query asks for nothing."""
    positives, negatives = parse(query)
    if not positives:
        return ""
    return " AND ".join(positives) + "".join(f" NOT {term}" for term in negatives)


class Hits(list):
    """One page of hits, best first, and how many pages match: ``total`` is counted up to
    COUNT_LIMIT + 1, so that more than COUNT_LIMIT can be told from exactly that many."""

    def __init__(self, hits: Iterable[Hit] = (), total: int = 0) -> None:
        super().__init__(hits)
        self.total = total


def search(query: str, *, offset: int = 0, limit: int = 20, reading: Reading = EVERYONE) -> Hits:
    """The hits from ``offset``, best first, with the number of matches.

    One query finds, ranks and counts; only a page past the last hit counts on its own.
    A query with nothing to look for (empty, only exclusions, only punctuation) finds nothing
    on either database. Pages of works the ``reading`` leaves out are not among the hits, and
    for such a reader snippets come from bodies only (a page's fields list its casting).
    """
    query = clean_query(query)[:QUERY_MAX_LENGTH]
    if not fts5_query(query):
        return Hits()
    if connection.vendor == "postgresql":
        rows, total = _postgresql(query, offset, limit, reading.everything)
    else:
        rows, total = _sqlite(query, offset, limit, reading.everything)
    pages = WikiPage.objects.only(*HIT_FIELDS).in_bulk([page_id for page_id, _ in rows])
    for page_id in hidden_pages(list(pages.values()), reading):
        del pages[page_id]
    hits = []
    for page_id, snippet in rows:
        page = pages.get(page_id)
        if page is not None:
            kind = str(kind_model(page.page_kind)._meta.verbose_name)
            # No snippet (an empty body): the description, as plain escaped text.
            text = highlight(snippet) if snippet else escape(CONTROL.sub(" ", page.description))
            hits.append(Hit(page, kind, text))
    return Hits(hits, total)


def count_matches(query: str) -> int:
    """How many pages match, counted up to COUNT_LIMIT + 1 (so "more than COUNT_LIMIT")."""
    return search(query, limit=0).total


def _split_total(rows: list) -> tuple[list, int | None]:
    """Rows of (page id, snippet, total) as the rows and the total, None without rows."""
    return [(page_id, snippet) for page_id, snippet, _ in rows], rows[0][2] if rows else None


# On PostgreSQL, words that thousands of pages share ("heat", "crew") would have every one of
# them ranked and sorted, tens of milliseconds per thousand pages. So ranking looks at the page
# whose title is the query, the pages whose title matches (RANK_LIMIT at most) and RANK_LIMIT
# of the others; a query that matches fewer pages is ranked in full. Results are shown up to
# COUNT_LIMIT, so every one of them has been ranked.
RANK_LIMIT = 200
# Counting stops here: the results page then says "more than 200 results".
COUNT_LIMIT = RANK_LIMIT
# The columns a hit shows: its title, description and address. Bodies can be 100 KB.
HIT_FIELDS = ("page_kind", "title", "slug", "description")
_WORDS = "websearch_to_tsquery('english', %(q)s)"
_MATCHES = f"SELECT d.page_id FROM search_searchdocument d WHERE d.vector @@ {_WORDS}"
_TYPOS = "SELECT d.page_id FROM search_searchdocument d WHERE lower(d.title) %%> lower(%(q)s)"
_TITLE_MATCHES = (
    "SELECT d.page_id FROM search_searchdocument d "
    f"WHERE to_tsvector('english', coalesce(d.title, '')) @@ {_WORDS}"
)
_EXACT_TITLE = f"SELECT p.id AS page_id FROM {PAGES} p WHERE p.title_key = %(key)s"


def _snippet_source(everything: bool) -> str:
    # A reader who leaves works out gets snippets of bodies only: a page's fields list its
    # relations and casting, which may be of those works.
    return "coalesce(nullif(d.body_text, ''), d.fields_text)" if everything else "d.body_text"


def _postgresql(query: str, offset: int, limit: int, everything: bool) -> tuple[list, int]:
    params = {"q": query, "key": title_key(query), "offset": offset, "limit": limit}
    params.update(cap=RANK_LIMIT, counted=COUNT_LIMIT + 1)
    with transaction.atomic(), connection.cursor() as cursor:
        _use_the_indexes(cursor)
        # The words' matches are read once, for the total and for the candidates.
        candidates = f"""
            ({_EXACT_TITLE}) UNION ({_TITLE_MATCHES} LIMIT %(cap)s)
            UNION (SELECT page_id FROM matches LIMIT %(cap)s)
        """
        rows, total = _postgresql_rank(
            cursor, _MATCHES, candidates, "d.vector @@ query", params, everything
        )
        if total is None:
            total = _postgresql_count(cursor, _MATCHES, params)
        if total or not is_plain(query):
            return rows, total
        _allow_typos(cursor)
        condition = "lower(d.title) %%> lower(%(q)s)"
        candidates = "SELECT page_id FROM matches LIMIT %(cap)s"
        rows, total = _postgresql_rank(cursor, _TYPOS, candidates, condition, params, everything)
        if total is None:
            total = _postgresql_count(cursor, _TYPOS, params)
        return rows, total


def _postgresql_count(cursor, matches: str, params: dict) -> int:
    cursor.execute(f"SELECT count(*) FROM ({matches} LIMIT %(counted)s) m", params)
    return cursor.fetchone()[0]


def _use_the_indexes(cursor) -> None:
    # Under a LIMIT the planner expects matches of a common word to turn up early in a scan of
    # the whole table, and reads half of it (50 ms at 100,000 pages); the GIN index finds them
    # in a few. For this transaction only.
    cursor.execute("SET LOCAL enable_seqscan = off")


def _allow_typos(cursor) -> None:
    # Nothing has these words: look for titles they misspell. pg_trgm's default (0.6) misses
    # typical misspellings such as "shierlis"; the setting lasts for this transaction only.
    cursor.execute(
        "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
        [str(TYPO_SIMILARITY)],
    )


def _postgresql_rank(
    cursor, matches: str, candidates: str, condition: str, params: dict, everything: bool = True
) -> tuple[list, int | None]:
    """A page of (page id, snippet) rows of the ranked candidates, and the total of
    ``matches`` (None when the page has no rows)."""
    cursor.execute(
        f"""
        WITH matches AS MATERIALIZED ({matches} LIMIT %(counted)s)
        SELECT d.page_id,
               ts_headline('english', {_snippet_source(everything)},
                           query, 'StartSel=' || chr(2) || ', StopSel=' || chr(3) ||
                           ', MaxWords=28, MinWords=12, MaxFragments=2,'
                           ' FragmentDelimiter=" … "'),
               (SELECT count(*) FROM matches)
        FROM ({candidates}) c
        JOIN search_searchdocument d ON d.page_id = c.page_id
        JOIN {PAGES} p ON p.id = d.page_id,
        {_WORDS} query
        WHERE {condition}
        ORDER BY p.title_key = %(key)s DESC,
                 ts_filter(d.vector, '{{a}}') @@ query DESC,
                 ts_rank_cd(d.vector, query) + word_similarity(lower(%(q)s), lower(d.title))
                 DESC,
                 d.title, d.page_id
        OFFSET %(offset)s LIMIT %(limit)s
        """,
        params,
    )
    return _split_total(cursor.fetchall())


def _sqlite(query: str, offset: int, limit: int, everything: bool = True) -> tuple[list, int]:
    match = fts5_query(query)
    positives, _ = parse(query)
    in_title = "title : (" + " AND ".join(positives) + ")"
    counted = "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT d.page_id,
                   snippet(search_fts, 2, char(2), char(3), ' … ', 24),
                   ({counted})
            FROM search_fts
            JOIN search_searchdocument d ON d.page_id = search_fts.rowid
            JOIN {PAGES} p ON p.id = d.page_id
            WHERE search_fts MATCH %s
            ORDER BY p.title_key = %s DESC,
                     search_fts.rowid IN (
                         SELECT rowid FROM search_fts WHERE search_fts MATCH %s
                     ) DESC,
                     bm25(search_fts, 10.0, 4.0, 1.0), d.title, d.page_id
            LIMIT %s OFFSET %s
            """,
            [match, COUNT_LIMIT + 1, match, title_key(query), in_title, limit, offset],
        )
        rows, total = _split_total(cursor.fetchall())
        if total is None:
            cursor.execute(counted, [match, COUNT_LIMIT + 1])
            total = cursor.fetchone()[0]
    return rows, total
