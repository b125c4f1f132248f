"""`satchel synonyms [--json]`, `synonyms add TERM EQUIVALENT [--one-way]`,
`synonyms remove TERM`: the search synonyms marketing keeps."""

from __future__ import annotations

import argparse

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.domain.synonyms import Synonym, words_of
from satchel.core.errors import NotFoundError
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("synonyms", help="list and change the search synonyms")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_list, writes=False)
    actions = parser.add_subparsers(dest="synonyms_action", metavar="ACTION")
    add = actions.add_parser("add", help="TERM finds EQUIVALENT, and back (marketers)")
    add.add_argument("term")
    add.add_argument("equivalent")
    add.add_argument("--one-way", action="store_true", help="only TERM finds EQUIVALENT")
    add.add_argument("--json", action="store_true")
    add.set_defaults(run=run_add, writes=True)
    remove = actions.add_parser("remove", help="remove the synonyms of TERM (marketers)")
    remove.add_argument("term")
    remove.add_argument("--json", action="store_true")
    remove.set_defaults(run=run_remove, writes=True)


def _show(entries: list[Synonym], as_json: bool) -> None:
    if as_json:
        print_json(entries)
        return
    for entry in entries:
        print(safe(entry.describe()))
    if not entries:
        print("No synonyms yet: satchel synonyms add TERM EQUIVALENT")


def run_list(services: Services, args: argparse.Namespace) -> int:
    _show(services.search.synonyms(), args.json)
    return EXIT_OK


def run_add(services: Services, args: argparse.Namespace) -> int:
    entry = Synonym(args.term, args.equivalent, both_ways=not args.one_way)
    kept, _ = services.search.set_synonyms([*services.search.synonyms(), entry])
    _show(kept, args.json)
    return EXIT_OK


def run_remove(services: Services, args: argparse.Namespace) -> int:
    current = services.search.synonyms()
    wanted = words_of(args.term)
    kept = [e for e in current if wanted not in (words_of(e.term), words_of(e.equivalent))]
    if len(kept) == len(current):
        raise NotFoundError(f"There is no synonym for “{args.term}”.")
    kept, _ = services.search.set_synonyms(kept)
    _show(kept, args.json)
    return EXIT_OK
