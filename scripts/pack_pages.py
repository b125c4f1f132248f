"""The meeting pack of the demo library's last 90 days, each page as a PNG for docs/ and
the README (and to look at every page after a change).

Run: `uv run python -m scripts.pack_pages` (writes docs/screenshots/pack-page-N.png).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from satchel.core.domain.users import Role
from satchel.core.services import Services

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        services = Services.build_demo(Path(temp) / "library")
        try:
            marketer = next(p for p in services.people.list_all() if p.role is Role.MARKETER)
            services.people.sign_in(marketer.id)
            pack = Path(temp) / "pack.pdf"
            services.insights.pack(services.insights.period(days=90), pack)
            document = pdfium.PdfDocument(str(pack))
            for number in range(len(document)):
                target = OUT / f"pack-page-{number + 1}.png"
                document[number].render(scale=1.2).to_pil().save(target)
                print("wrote", target)
            document.close()
        finally:
            services.close()


if __name__ == "__main__":
    main()
