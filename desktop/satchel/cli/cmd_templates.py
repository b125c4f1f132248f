"""`satchel templates [--json]`: templates and their fields."""

from __future__ import annotations

import argparse
import dataclasses

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("templates", help="list templates and their fields")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run, writes=False)


def _limits(limits: object) -> dict[str, object]:
    """Only the limits that are set."""
    defaults = type(limits)()  # type: ignore[call-arg]
    return {f.name: getattr(limits, f.name) for f in dataclasses.fields(limits)  # type: ignore[arg-type]
            if getattr(limits, f.name) != getattr(defaults, f.name)}  # fmt: skip


def run(services: Services, args: argparse.Namespace) -> int:
    templates = services.templates.list_all()
    if args.json:
        print_json([{
            "id": t.id, "title": t.title, "version": t.version, "asset_id": t.asset_id,
            "fields": [{"key": f.key, "label": f.label, "kind": f.kind, "policy": f.policy,
                        "default": f.default, "limits": _limits(f.limits)} for f in t.fields],
        } for t in templates])  # fmt: skip
        return EXIT_OK
    if not templates:
        print("No templates yet.")
    for template in templates:
        print(f"{template.id[:8]}  v{template.version}  {safe(template.title)}")
        for spec in template.fields:
            print(f"    {spec.key:<14} {spec.kind.value:<9} {spec.policy.value:<12} "
                  f"{safe(spec.label)}")  # fmt: skip
    return EXIT_OK
