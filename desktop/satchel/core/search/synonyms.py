"""Synonyms applied to a parsed query: a run of typed words that is one side of a
synonym becomes a group that also accepts the other side ("spec sheet" OR
"datasheet"). Phrases, named fields, exclusions and the word being typed are left
as they are."""

from __future__ import annotations

from collections.abc import Mapping

from satchel.core.domain.synonyms import MAX_WORDS, words_of
from satchel.core.search.query import Clause, ParsedQuery, analyse

Expansions = Mapping[tuple[str, ...], list[tuple[str, ...]]]


def with_synonyms(parsed: ParsedQuery, expansions: Expansions) -> ParsedQuery:
    """The query with each longest run of words that has synonyms widened to them."""
    if not expansions:
        return parsed
    groups = parsed.groups
    widened: list[list[Clause]] = []
    index = 0
    while index < len(groups):
        for length in range(min(MAX_WORDS, len(groups) - index), 0, -1):
            run = groups[index : index + length]
            if not all(_plain(group) for group in run):
                continue
            typed = tuple(w for group in run for w in words_of(group[0].raw))
            if typed in expansions:
                widened.append(_widen(run, expansions[typed]))
                index += length
                break
        else:
            widened.append(groups[index])
            index += 1
    return ParsedQuery(widened, dict(parsed.filters), dict(parsed.dates))


def _plain(group: list[Clause]) -> bool:
    """One typed word or code, nothing more (stop words count: "cost of ownership")."""
    typed = [clause for clause in group if not clause.added]  # not its other stems
    return len(typed) == 1 and typed[0].relaxable


def _widen(run: list[list[Clause]], others: list[tuple[str, ...]]) -> list[Clause]:
    typed = " ".join(group[0].raw for group in run)
    language = run[0][0].language
    first = run[0] if len(run) == 1 else [_clause(typed, language)]
    return [*first, *(_clause(" ".join(words), language) for words in others)]


def _clause(text: str, language: str) -> Clause:
    words = analyse(text, language)
    return Clause(words, text, phrase=len(words) > 1, added=True, language=language)
