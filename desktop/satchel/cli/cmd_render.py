"""`satchel render TEMPLATE (--set key=value… | --values FILE.json) -o OUT.pdf [--json]`,
or `satchel render --request ID -o OUT.pdf`: the final document of an approved request."""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json
from satchel.core.domain.metadata import parse_assignments
from satchel.core.domain.values import MAX_BYTES, parse_values
from satchel.core.errors import KnownError, ValidationError
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("render", help="make a customized PDF from a template")
    parser.add_argument("template", nargs="?", help="template id (or its first characters)")
    parser.add_argument("--request", metavar="ID",
                        help="the approved request whose final PDF to make")  # fmt: skip
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--set", action="extend", nargs="+", default=[], metavar="KEY=VALUE",
                        help="values, e.g. --set customer=Northwind discount=5")  # fmt: skip
    source.add_argument("--values", type=Path, metavar="FILE.json", help="values as a JSON object")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run, writes=True)


def _values(args: argparse.Namespace) -> dict[str, str]:
    return parse_assignments(args.set) if args.values is None else read_values(args.values)


def read_values(path: Path) -> dict[str, str]:
    """Values from a JSON file, never more than the limit read into memory."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # never more than the limit into memory
    except OSError as error:
        raise KnownError(
            f"The values file could not be read ({error.strerror or error})."
        ) from None
    return parse_values(data)


def run(services: Services, args: argparse.Namespace) -> int:
    if (args.template is None) == (args.request is None):
        raise ValidationError(["Give a template, or --request with an approved request's id."])
    try:  # the acting user's profile fills the contact fields
        if args.request is not None:
            made, _changes = services.requests.final_document(args.request)
        else:
            made, _changes = services.templates.generate(args.template, _values(args))
    except ValidationError as error:
        if args.json:
            print_json({"ok": False, "issues": error.problems})
        else:
            print("satchel: the values are not allowed:")
            for problem in error.problems:
                print(f"  - {problem}")
        return EXIT_FAILED
    services.templates.save_document(made.pdf, args.output)
    notes = [issue.message for issue in made.issues]
    if args.json:
        print_json({"ok": True, "output": args.output, "sha256": made.sha256, "draft": made.draft,
                    "template": made.template.id, "version": made.template.version,
                    "notes": notes})  # fmt: skip
    else:
        state = (
            "a draft: it carries a DRAFT watermark until marketing approves these values"
            if made.draft else "final"
        )  # fmt: skip
        print(f"Wrote {args.output} ({state}).")
        for note in notes:
            print(f"  - {note}")
    return EXIT_OK
