"""What search indexes and how a typed query matches it, for tickets and guides alike.

PostgreSQL's parser keeps "Twitter/X", "facebook.com", "support@acme.com" and "e-mail" as
single tokens (a path, a host, an address, a hyphenated word), so a search for "twitter",
"acme" or "email" would miss them. Besides its English words, a document therefore also
indexes, in the `simple` configuration, the parts of such compound words ("twitter", "x",
"facebook", "com") and, for short compounds, the parts joined ("twitterx", "email"). The
whole tokens stay in the English vector, so "twitter/x" still matches as typed.

A typed word matches its English form or, unstemmed, its joined form; every word must match.
"Quoted words" match as a phrase, `-word` excludes and `or` offers an alternative, as in a web
search. SQLite has no full-text search: there each word must start a word of the text, with
the compound separators allowed between its letters, and a word of one or two letters must
be the whole word, so that "x" finds "Twitter/X" but not every "box".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchQueryCombinable
from django.db.models import Q

# How much of a part goes into a vector: PostgreSQL refuses a tsvector over 1 MB. Text beyond
# it is stored and shown, but not found by search.
SEARCH_PART_CHARS = 50_000
# Joined, "e-mail" is the "email" people type; a long address joined is noise.
JOIN_MAX_PARTS = 3
# Written so that Python's and PostgreSQL's regular expressions read them alike.
_COMPOUND = r"[\w/.@-]*\w[/.@-]+\w[\w/.@-]*"
_SEPARATORS = r"[/.@_-]+"
_COMPOUND_RE = re.compile(_COMPOUND)
_SPLIT_RE = re.compile(_SEPARATORS)
_WORD_RE = re.compile(r"[^\W_]")
_EDGES_RE = re.compile(r"^\W+|\W+$")
_TERM_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_TERMS = 10


def compound_words(text: str) -> list[str]:
    """The parts of each compound word in `text`, and the short ones joined, once each."""
    words: dict[str, None] = {}
    for token in _COMPOUND_RE.findall(text):
        parts = [part for part in _SPLIT_RE.split(token) if part]
        words.update(dict.fromkeys(part.lower() for part in parts))
        if 1 < len(parts) <= JOIN_MAX_PARTS:
            words["".join(parts).lower()] = None
    return list(words)


def compound_words_sql(text: str) -> str:
    """SQL for `compound_words` of the SQL text expression `text`, space-separated."""
    parts = f"array_remove(regexp_split_to_array(m[1], '{_SEPARATORS}'), '')"
    joined = (
        f"CASE WHEN cardinality(p) BETWEEN 2 AND {JOIN_MAX_PARTS}"
        " THEN ' ' || array_to_string(p, '') ELSE '' END"
    )
    return (
        f"coalesce((SELECT string_agg(array_to_string(p, ' ') || {joined}, ' ')"  # noqa: S608 (constants)
        f" FROM (SELECT {parts} AS p FROM regexp_matches({text}, '{_COMPOUND}', 'g') AS m)"
        " AS compounds), '')"
    )


def joined(word: str) -> str:
    return "".join(part for part in _SPLIT_RE.split(word) if part)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a quoted phrase
    excluded: bool


def query_terms(query: str) -> list[list[Term]]:
    """Every group must match; a group is one term or its `or` alternatives."""
    groups: list[list[Term]] = []
    alternative = False
    for match in _TERM_RE.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None and word.lower() == "or" and groups:
            alternative = True
            continue
        if word is not None:
            minus, text = ("-", word[1:]) if word.startswith("-") else ("", word)
        else:
            text = phrase
        words = tuple(text.split()) if phrase is not None else (text,)
        if not any(_WORD_RE.search(w) for w in words):
            continue
        term = Term(words=words, excluded=bool(minus))
        if alternative:
            groups[-1].append(term)
        else:
            groups.append([term])
        alternative = False
    return groups[:MAX_TERMS]


def _term_query(term: Term) -> SearchQueryCombinable:
    if len(term.words) > 1:
        phrase = SearchQuery(" ".join(term.words), search_type="phrase", config="english")
        return ~phrase if term.excluded else phrase
    word = term.words[0]
    english = SearchQuery(word, config="english")
    simple = SearchQuery(joined(word), config="simple")
    return ~english & ~simple if term.excluded else english | simple


def search_query(query: str) -> SearchQueryCombinable | None:
    """The PostgreSQL query for what was typed; None when nothing searchable was typed."""
    groups = [reduce(lambda a, b: a | b, map(_term_query, group)) for group in query_terms(query)]
    return reduce(lambda a, b: a & b, groups) if groups else None


def word_pattern(words: tuple[str, ...]) -> str:
    """A regular expression, read alike by Python (SQLite) and PostgreSQL, for a term's words."""
    cores = [joined(_EDGES_RE.sub("", word)).lower() for word in words]
    letters = [_SEPARATORS.replace("+", "?").join(map(re.escape, core)) for core in cores if core]
    pattern = "(^|[^0-9a-z])" + "[^0-9a-z]+".join(letters)
    return pattern + "($|[^0-9a-z])" if len(cores) == 1 and len(cores[0]) < 3 else pattern


def search_condition(query: str, matches: Callable[[str], Q]) -> Q | None:
    """Without full-text search: `matches(pattern)` says where a term's pattern may be found."""
    groups = query_terms(query)
    if not groups:
        return None
    condition = Q()
    for group in groups:
        either = Q(pk__in=[])
        for term in group:
            found = matches(word_pattern(term.words))
            either |= ~found if term.excluded else found
        condition &= either
    return condition
