"""`satchel show ID [--json] [--text]`."""

from __future__ import annotations

import argparse

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.domain.assets import AssetDetail
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("show", help="show one asset (id or its first characters)")
    parser.add_argument("id")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--text", action="store_true", help="include the extracted text")
    parser.set_defaults(run=run, writes=False)


def describe(asset: AssetDetail) -> str:
    """The human-readable block `show` and `set` print."""
    meta = asset.metadata
    rows = [
        ("Title", meta.title),
        ("Id", asset.id),
        ("Kind", meta.kind.value),
        ("Status", meta.status.value),
        ("Summary", meta.summary),
        ("Product", meta.product),
        ("Audience", meta.audience),
        ("Funnel stage", meta.funnel_stage.value if meta.funnel_stage else ""),
        ("Region", meta.region),
        ("Language", meta.language),
        ("Tags", ", ".join(meta.tags)),
        ("Owner", meta.owner),
        ("Expires", str(meta.expires_on or "")),
        ("Review", str(meta.review_on or "")),
    ]
    lines = [f"{label + ':':<14}{safe(value)}" for label, value in rows if value]
    for version in asset.versions:
        size = f"{version.size / 1024:,.0f} KB"
        pages = f"{version.page_count} page{'s' if version.page_count != 1 else ''}"
        lines.append(
            f"{'Version ' + str(version.number) + ':':<14}{version.file_type.value}, {pages}, "
            f"{size}, from {safe(version.original_name)}"
        )
        lines.extend(f"{'':<14}warning: {w}" for w in version.warnings)
    return "\n".join(lines)


def run(services: Services, args: argparse.Namespace) -> int:
    asset = services.assets.get(args.id, with_text=args.text)
    if args.json:
        print_json(asset)
        return EXIT_OK
    print(describe(asset))
    for number, text in enumerate(asset.page_texts, start=1):
        print(f"\n--- {number} ---\n{safe(text)}")
    return EXIT_OK
