"""Customized-PDF benchmarks: 1-page and 4-page documents, and the live-preview refresh."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.pdfgen.canvas import Canvas

from bench.search_bench import percentiles, timed
from satchel.core.domain.users import Role
from satchel.core.services import Services

RUNS = 40


def four_page_base() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    for number in range(1, 5):
        canvas.setFont("Helvetica-Bold", 20)
        canvas.drawString(60, 780, f"Brochure page {number}")
        canvas.setFont("Helvetica", 10)
        for line in range(40):
            canvas.drawString(60, 740 - line * 14, "Body text of the designed brochure. " * 3)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def four_page_fields() -> list[dict[str, object]]:
    """Ten wrapped fields spread over four pages (as the issue's measurement had)."""
    fields = []
    for index in range(10):
        page = index % 4 + 1
        fields.append({"key": f"f{index}", "label": f"Field {index}", "kind": "paragraph",
                       "placement": {"page": page, "x": 60, "y": 80 + (index // 4) * 90,
                                     "width": 470, "height": 70},
                       "style": {"size": 11, "min_size": 8}, "limits": {"max_lines": 5}})  # fmt: skip
    return fields


def run() -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        services = Services.build_demo(root / "library")
        try:
            rep = next(u.id for u in services.people.list_all() if u.role is Role.REP)
            marketer = next(u.id for u in services.people.list_all() if u.role is Role.MARKETER)
            quote = next(t for t in services.templates.list_all() if t.title.startswith("Price"))
            today = services.today()
            one = {"customer": "Harlow Foods Ltd.", "quote_number": "Q-2026-0042", "qty_0": "4",
                   "qty_1": "120", "qty_2": "120", "discount": "7.5",
                   "valid_until": (today + dt.timedelta(30)).isoformat(),
                   "note": "Includes on-site commissioning of all gateways and a two-day "
                           "training for your maintenance team."}  # fmt: skip
            (root / "four.pdf").write_bytes(four_page_base())
            services.people.sign_in(marketer)
            report, _ = services.assets.import_paths([root / "four.pdf"])
            asset = report.results[0].asset_id
            assert asset
            four, _ = services.templates.publish(asset, four_page_fields(), "Four pages")
            services.people.sign_in(rep)
            text = "Condition monitoring for your critical rotating equipment, planned with you."
            many = {f"f{i}": text for i in range(10)}

            def preview(px: int) -> None:
                made, _ = services.templates.generate(quote.id, one, record=False)
                document = pdfium.PdfDocument(made.pdf)
                page = document[0]
                width, height = page.get_size()
                page.render(scale=px / max(width, height)).to_pil()
                document.close()

            for _ in range(3):  # warm: fonts registered, modules loaded
                services.templates.generate(quote.id, one, record=False)
                services.templates.generate(four.id, many, record=False)
            return {
                "one_page": percentiles(timed(
                    lambda: services.templates.generate(quote.id, one, record=False), RUNS)),
                "one_page_recorded": percentiles(timed(
                    lambda: services.templates.generate(quote.id, one), RUNS)),
                "four_pages": percentiles(timed(
                    lambda: services.templates.generate(four.id, many, record=False), RUNS)),
                "preview_256": percentiles(timed(lambda: preview(256), RUNS)),
                "preview_900": percentiles(timed(lambda: preview(900), RUNS)),
            }  # fmt: skip
        finally:
            services.close()


def report(result: dict[str, tuple[float, float]]) -> list[str]:
    rows = (("1-page quote: validate, render, merge, sanitize", "one_page", 25),
            ("1-page quote, also kept in the blob store and recorded", "one_page_recorded", None),
            ("4 pages, 10 wrapped fields", "four_pages", 60),
            ("Preview refresh: render + rasterize page 1 at 256 px", "preview_256", 100),
            ("Preview refresh at 900 px (the preview pane)", "preview_900", 100))  # fmt: skip
    lines = ["## Customized PDFs", "",
             f"Through `Services.templates.generate` (validation, overlay, merge, stripping of active "
             f"content, provenance metadata), {RUNS} runs each, ms, in a process of its own as "
             f"the CLI renders (the base PDF is parsed once per process and kept).", "",
             "| Document | p50 | p95 | Target |", "|---|---:|---:|---:|"]  # fmt: skip
    for label, key, target in rows:
        p50, p95 = result[key]
        lines.append(f"| {label} | {p50:.1f} | {p95:.1f} | {f'≤ {target}' if target else ''} |")
    lines.append("")
    return lines


def run_isolated() -> dict[str, tuple[float, float]]:
    """`run` in a fresh process, as the CLI renders: the search benchmarks' heap (millions
    of objects for the garbage collector to walk) is not this measurement's."""
    done = subprocess.run([sys.executable, "-m", "bench.render_bench", "--json"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return {key: (p50, p95) for key, (p50, p95) in json.loads(done.stdout).items()}


if __name__ == "__main__":
    result = run()
    print(json.dumps(result) if "--json" in sys.argv else "\n".join(report(result)))
