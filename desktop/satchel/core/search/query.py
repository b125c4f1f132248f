"""Turning what a person typed into a Whoosh query. Never raises: bad syntax degrades
to plain words, and the query's size is capped so no input can make it expensive."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.reading import IndexReader

from satchel.core.search.analysis import (
    AUTOCOMPLETE_MAX,
    DEFAULT_LANGUAGE,
    fold,
    marked,
    plain_analyzer,
    text_analyzer,
)
from satchel.core.search.phrase import Phrase
from satchel.core.search.schema import FACETS, NAMED_FIELDS
from satchel.core.search.stopwords import all_stop_words, query_languages

# A pasted paragraph (a customer's email, an RFP question) is a fair query: on CISI's
# natural-language queries 24 words ranked far worse than 64 (docs/benchmarks.md). The
# relaxed search bounds what so many words cost (relax.POSTINGS_BUDGET).
MAX_QUERY_CHARS = 2000
MAX_CLAUSES = 64  # words and phrases, stop words not counted
MAX_GROUPS = 4 * MAX_CLAUSES  # stop words included
MIN_BODY_PREFIX = 3
MAX_PREFIX_EXPANSION = 20
# A word matched only through its stem in a less likely language counts this much.
OTHER_LANGUAGE_WEIGHT = 0.25
MAX_FUZZY_WORD = 24  # edit-distance automata grow with the word: longer ones are not typos
DATE_FIELDS = {"updated": "updated", "expires": "expires", "expiry": "expires"}
FIELD_ALIASES = {"stage": "funnel_stage", "funnel": "funnel_stage", "lang": "language",
                 "tag": "tags", "type": "kind"}  # fmt: skip

_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_TEXT = text_analyzer()
_PLAIN = plain_analyzer()


@dataclass
class Clause:
    """One thing the person asked for: words or a phrase, maybe in one field."""

    words: list[str]  # analysed (stemmed, folded) tokens
    raw: str  # as typed, for "did you mean"
    phrase: bool = False
    field: str | None = None  # a text field, or None for all of them
    prefix: bool = False  # the word being typed
    negated: bool = False
    stop: bool = False  # a stop word ("the", "für"): not required, see stopwords.py
    # Not typed but added beside a typed clause: a synonym, or the typed words' stems in
    # another of the library's languages. Never shown as typed.
    added: bool = False
    language: str = DEFAULT_LANGUAGE  # whose stemmer made `words`
    weight: float = 1.0  # a score multiplier: less for a less likely language's stems

    @property
    def relaxable(self) -> bool:
        """Plain words a relaxed search may leave unmatched (never a phrase the person
        typed, a named field, the word being typed or an exclusion)."""
        typed_phrase = self.phrase and not self.added
        return not (typed_phrase or self.field or self.prefix or self.negated)


@dataclass
class ParsedQuery:
    """A structured query: AND of alternatives (each an OR of clauses), plus filters."""

    groups: list[list[Clause]] = field(default_factory=list)
    # facet → folded values, any of which matches (kind:brochure kind:datasheet)
    filters: dict[str, frozenset[str]] = field(default_factory=dict)
    dates: dict[str, tuple[dt.datetime | None, dt.datetime | None]] = field(default_factory=dict)

    @property
    def positive(self) -> list[Clause]:
        return [c for group in self.groups for c in group if not c.negated]

    @property
    def asked(self) -> int:
        """How many words and phrases were asked for, stop words aside."""
        return sum(1 for group in self.groups if not all(c.stop for c in group))

    @property
    def only_stop_words(self) -> bool:
        """Nothing but stop words was asked for: then they are required after all."""
        positive = self.positive
        return bool(positive) and all(c.stop for c in positive)

    def skipped(self, group: list[Clause]) -> bool:
        """A group of stop words, not required (unless the query is nothing else)."""
        return all(c.stop for c in group) and not self.only_stop_words

    def add_filter(self, name: str, value: str) -> None:
        """One more value this facet may have (values of one facet OR together)."""
        self.filters[name] = self.filters.get(name, frozenset()) | {fold(value.strip())}

    def without_filter(self, name: str) -> ParsedQuery:
        """The same query without one facet's filter: what that facet's counts are over."""
        filters = {k: v for k, v in self.filters.items() if k != name}
        return ParsedQuery(self.groups, filters, dict(self.dates))

    @property
    def empty(self) -> bool:
        return not self.positive and not self.filters and not self.dates

    def highlight_terms(self) -> set[str]:
        """The analysed words to mark in snippets (not the stop words that were skipped)."""
        keep_stop = self.only_stop_words
        return {w for c in self.positive if keep_stop or not c.stop for w in c.words}

    def prefixes(self) -> set[str]:
        """Folded prefixes being typed (a snippet marks words that start with them)."""
        return {fold(c.raw) for c in self.positive if c.prefix}


def clean_input(text: str) -> str:
    """Drop control characters and cap the length."""
    text = unicodedata.normalize("NFC", text)[:MAX_QUERY_CHARS]
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)


def analyse(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """A query's words as the index's text fields hold them for a text in `language`
    (folded, stemmed)."""
    return [token.text for token in _TEXT(marked(text, language, stacked=False))]


def _parse_date(text: str, end: bool) -> dt.datetime | None:
    text = text.strip()
    for fmt, step in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            value = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not end:
            return value
        if step == "day":
            return value + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
        if step == "month":
            following = (value.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(microseconds=1)
        return value.replace(year=value.year + 1) - dt.timedelta(microseconds=1)
    return None


def _date_range(value: str) -> tuple[dt.datetime | None, dt.datetime | None] | None:
    if ".." in value:
        start, _, end = value.partition("..")
        return _parse_date(start, False) if start else None, _parse_date(end, True) if end else None
    if value.startswith((">", "<")):
        bound = _parse_date(value.lstrip("<>="), value.startswith("<"))
        return (bound, None) if value.startswith(">") else (None, bound)
    first = _parse_date(value, False)
    return (first, _parse_date(value, True)) if first else None


def parse(text: str, as_you_type: bool = False,
          languages: Sequence[str] = (DEFAULT_LANGUAGE,)) -> ParsedQuery:  # fmt: skip
    """Parse a query; with `as_you_type`, the last word is a prefix unless a space follows.
    Words are stemmed for each of `languages` (the library's) the query may be in: a
    word whose stems differ gets each as an alternative."""
    text = clean_input(text)
    languages = query_languages(text, languages)
    parsed = ParsedQuery()
    pending_or = False
    matches = list(_TOKEN.finditer(text))
    for index, match in enumerate(matches):
        negated, field_name, quoted, bare = (
            match.group(1) == "-",
            match.group(2),
            match.group(3),
            match.group(4),
        )
        if bare in ("OR", "|") and not field_name and not negated:
            pending_or = bool(parsed.groups)
            continue
        if bare in ("AND", "&&", "NOT") and not field_name:
            continue
        value = quoted if quoted is not None else (bare or "")
        if field_name:
            name = FIELD_ALIASES.get(field_name.lower(), field_name.lower())
            if name in FACETS and value.strip() and not negated:
                parsed.add_filter(name, value)
                continue
            if name in DATE_FIELDS and (bounds := _date_range(value)):
                parsed.dates[DATE_FIELDS[name]] = bounds
                continue
            if name in NAMED_FIELDS or name == "body":
                field_name = "content" if name == "body" else name
            else:  # unknown field: treat "foo:bar" as the words it contains
                value, field_name = f"{field_name} {value}", None
        words = analyse(value, languages[0])
        if not words:
            continue
        is_last = index == len(matches) - 1
        prefix = (
            as_you_type and is_last and quoted is None and not negated
            and not text.endswith((" ", '"')) and len(words) == 1
        )  # fmt: skip
        phrase = quoted is not None and len(words) > 1
        stop = not (phrase or prefix or field_name or negated) and all_stop_words(
            [t.text for t in _PLAIN(value)]
        )
        clauses = [Clause(words, value, phrase=phrase, field=field_name, prefix=prefix,
                          negated=negated, stop=stop, language=languages[0])]  # fmt: skip
        # A phrase is matched in the likeliest language alone (each language's phrase
        # would be a position check of its own).
        for language in languages[1:] if not (prefix or phrase) else ():
            stems = analyse(value, language)
            if stems and all(stems != c.words for c in clauses):
                clauses.append(Clause(stems, value, phrase=phrase, field=field_name,
                                      negated=negated, stop=stop, added=True, language=language,
                                      weight=OTHER_LANGUAGE_WEIGHT))  # fmt: skip
        if pending_or and parsed.groups:
            parsed.groups[-1].extend(clauses)
        elif len(parsed.groups) < MAX_GROUPS and (stop or parsed.asked < MAX_CLAUSES):
            parsed.groups.append(clauses)
        pending_or = False
    return parsed


def _prefix_query(clause: Clause, reader: IndexReader | None) -> wq.Query:
    typed = fold(clause.raw)
    options: list[wq.Query] = []
    if len(typed) >= 2:
        options.append(wq.Term("autocomplete", typed[:AUTOCOMPLETE_MAX]))
    if reader is not None and len(typed) >= MIN_BODY_PREFIX:
        # A capped expansion: a short prefix may match thousands of body words.
        stem = clause.words[0][: len(typed)]
        expanded = itertools.islice(reader.expand_prefix("content", stem), MAX_PREFIX_EXPANSION)
        options.extend(
            wq.Term("content", term.decode() if isinstance(term, bytes) else term)
            for term in expanded
        )
    options.append(wq.Term(clause.field or "content", clause.words[0]))
    return wq.Or(options)


def clause_query(clause: Clause, reader: IndexReader | None) -> wq.Query:
    """What must match for one clause. `content` holds every text field, so one posting
    list per word decides the match; `title_boost` adds the title's weight to the rank."""
    if clause.prefix:
        return _prefix_query(clause, reader)
    field = clause.field or "content"
    if clause.phrase:
        return Phrase(field, clause.words, boost=clause.weight)
    terms = [wq.Term(field, word, boost=clause.weight) for word in clause.words]
    return terms[0] if len(terms) == 1 else wq.And(terms)


def title_boost(clause: Clause) -> wq.Query | None:
    """The optional title match that ranks a title hit first."""
    if clause.field or clause.negated:
        return None
    if clause.phrase:
        return Phrase("title", clause.words, boost=clause.weight)
    return wq.Or([wq.Term("title", word, boost=clause.weight) for word in clause.words])


def to_whoosh(parsed: ParsedQuery, reader: IndexReader | None) -> wq.Query:
    """The whole query: AND of groups, NOT of negated clauses, filters, title boosts."""
    must: list[wq.Query] = []
    must_not: list[wq.Query] = []
    boosts: list[wq.Query] = []
    for group in parsed.groups:
        if parsed.skipped(group):
            continue
        positives = [clause_query(c, reader) for c in group if not c.negated]
        must_not += [clause_query(c, reader) for c in group if c.negated]
        boosts += [b for c in group if not c.negated and (b := title_boost(c)) is not None]
        if positives:
            must.append(positives[0] if len(positives) == 1 else wq.Or(positives))
    must += [_any_of(name, values) for name, values in sorted(parsed.filters.items())]
    must += [wq.DateRange(name, start, end) for name, (start, end) in parsed.dates.items()]
    if not must:
        if not must_not:
            return wq.NullQuery
        must = [wq.Every()]
    query: wq.Query = must[0] if len(must) == 1 else wq.And(must)
    if must_not:
        query = wq.AndNot(query, wq.Or(must_not))
    if boosts:  # scored only where the required part matched: no extra candidates
        query = wq.AndMaybe(query, wq.Or(boosts))
    return query


def _any_of(name: str, values: frozenset[str]) -> wq.Query:
    terms = [wq.Term(name, value) for value in sorted(values)]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def apply_corrections(parsed: ParsedQuery, corrections: dict[str, str]) -> ParsedQuery:
    """The same query with misspelt words replaced (filters and the rest unchanged)."""
    groups = []
    for group in parsed.groups:
        new_group = []
        for clause in group:
            if clause.prefix or clause.negated:
                new_group.append(clause)
                continue
            raw = " ".join(corrections.get(t.text, t.text) for t in _PLAIN(clause.raw))
            new_group.append(Clause(analyse(raw, clause.language) or clause.words, raw,
                                    clause.phrase, clause.field, stop=clause.stop,
                                    added=clause.added, language=clause.language,
                                    weight=clause.weight))  # fmt: skip
        groups.append(new_group)
    return ParsedQuery(groups, dict(parsed.filters), dict(parsed.dates))


def spelling_words(parsed: ParsedQuery) -> list[str]:
    """Folded, unstemmed words of the plain clauses, for "did you mean"."""
    typed = [c for c in parsed.positive if not (c.prefix or c.added)]
    return [t.text for c in typed for t in _PLAIN(c.raw)][:MAX_GROUPS]


def relaxable_groups(parsed: ParsedQuery) -> list[list[Clause]]:
    """The required groups a relaxed search may leave unmatched: plain words (each
    group with its OR alternatives), not the skipped stop words."""
    return [
        group for group in parsed.groups
        if not parsed.skipped(group) and all(c.relaxable for c in group)
    ]  # fmt: skip


def without(parsed: ParsedQuery, groups: list[list[Clause]]) -> ParsedQuery:
    """The same query without these groups (nor the skipped stop words): what stays
    required when they are relaxed."""
    kept = [
        group for group in parsed.groups
        if not parsed.skipped(group) and not any(group is g for g in groups)
    ]  # fmt: skip
    return ParsedQuery(kept, dict(parsed.filters), dict(parsed.dates))


def group_query(group: list[Clause], reader: IndexReader | None) -> wq.Query:
    """What matches one group: any of its clauses."""
    options = [clause_query(c, reader) for c in group]
    return options[0] if len(options) == 1 else wq.Or(options)
