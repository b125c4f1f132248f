"""Render a contact sheet of the demo library's thumbnails to docs/demo-library.png."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from satchel.core.paths import font_path
from satchel.core.services import Services

CELL, LABEL, COLUMNS = 220, 36, 8


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/demo-library.png")
    with (
        tempfile.TemporaryDirectory() as temp,
        Services.build_demo(Path(temp) / "demo") as services,
    ):
        assets = sorted(services.list_assets(), key=lambda a: (a.metadata.kind, a.metadata.title))
        rows = (len(assets) + COLUMNS - 1) // COLUMNS
        sheet = Image.new("RGB", (COLUMNS * CELL, rows * (CELL + LABEL)), (244, 246, 248))
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.truetype(str(font_path()), size=12)
        for index, asset in enumerate(assets):
            x, y = (index % COLUMNS) * CELL, (index // COLUMNS) * (CELL + LABEL)
            path = services.thumbnail_path(asset.sha256)
            if path is not None:
                with Image.open(path) as thumb:
                    thumb.thumbnail((CELL - 20, CELL - 20))
                    sheet.paste(
                        thumb, (x + (CELL - thumb.width) // 2, y + (CELL - thumb.height) // 2)
                    )
            label = f"{asset.metadata.kind.value} · {asset.metadata.language}"
            draw.text((x + 10, y + CELL - 4), label, fill=(60, 70, 80), font=font)
            draw.text(
                (x + 10, y + CELL + 12), asset.metadata.title[:30], fill=(20, 30, 40), font=font
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
