"""`satchel search QUERY…` and `satchel reindex`."""

from __future__ import annotations

import argparse
import sys

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.domain.search import FACETS, SORTS
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "search",
        help='search the library: words, "phrases", OR, -exclude, product:atlas, updated:2026-01..2026-06',
    )
    parser.add_argument("query", nargs="+")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--facet", action="append", default=[], choices=FACETS, metavar="NAME",
                        help="show counts for this facet (repeatable): " + ", ".join(FACETS))  # fmt: skip
    parser.add_argument("--sort", choices=SORTS, default="relevance")
    parser.add_argument("--limit", type=int, default=20, metavar="N")
    parser.add_argument("--page", type=int, default=1, metavar="N")
    parser.add_argument("--all", action="store_true", help="include retired and expired assets")
    parser.set_defaults(run=run, writes=False)
    parser = subparsers.add_parser("reindex", help="rebuild the search index from the database")
    parser.set_defaults(run=run_reindex, writes=True)


def run(services: Services, args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    results = services.search.find(
        query, sort=args.sort, page=max(1, args.page),
        page_size=max(1, min(args.limit, 500)), include_hidden=args.all,
    )  # fmt: skip
    services.search.record_low_result(query, results.total)  # what people miss, for marketing
    facets = {name: dict(results.facets.get(name, ())) for name in (args.facet or FACETS)}
    if args.json:
        print_json({
            "results": [
                {"id": h.id, "title": h.title, "score": h.score, "snippet": h.snippet,
                 "marks": h.marks, "page": h.page, "kind": h.kind, "file_type": h.file_type,
                 "unmatched": list(h.unmatched)}
                for h in results.hits
            ],
            "total": results.total,
            "facets": facets,
            "suggestion": results.suggestion,
            "fuzzy": results.fuzzy,
            "relaxed": results.relaxed,
            "unmatched": list(results.unmatched),
        })  # fmt: skip
        return EXIT_OK
    if results.suggestion:
        print(f"Did you mean: {safe(results.suggestion)}")
    if results.relaxed:
        print("Showing results for most of your words.")
    for hit in results.hits:
        print(f"{hit.id[:8]}  {safe(hit.title)}")
        if hit.unmatched:
            print(f"          missing: {safe(', '.join(hit.unmatched))}")
        if hit.snippet:
            where = f"p. {hit.page}: " if hit.page else ""
            print(f"          {where}{safe(_marked(hit.snippet, hit.marks))}")
    shown = (
        f"{len(results.hits)} of {results.total}"
        if results.total > len(results.hits)
        else str(results.total)
    )
    noun = "result" if results.total == 1 else "results"
    print(f"{shown} {noun}{' (allowing for typos)' if results.fuzzy else ''}.")
    for name in args.facet:
        counts = ", ".join(f"{safe(value)} {count}" for value, count in facets[name].items())
        print(f"{name}: {counts or '—'}")
    return EXIT_OK


def _marked(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    """Highlights as [brackets] (bold on a terminal)."""
    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
    for start, end in sorted(marks, reverse=True):
        text = text[:start] + bold + text[start:end] + plain + text[end:]
    return text


def run_reindex(services: Services, args: argparse.Namespace) -> int:
    outcome = services.search.reindex()
    print(f"Search index {outcome}.")
    return EXIT_OK
