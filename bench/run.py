"""`make bench`: import throughput and peak memory; results go to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench import (
    edit_during_import,
    field_bench,
    hub_bench,
    insights_bench,
    relevance,
    render_bench,
    requests_bench,
    signals_bench,
    sync_bench,
)
from bench.corpus import generate
from bench.search_bench import report, run_size
from bench.ui_bench import report as desktop_report
from bench.ui_bench import run as desktop_run
from satchel.core.domain.imports import ImportStatus
from satchel.core.domain.users import Role
from satchel.core.services import Services

REPORT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
# Below this line the report is written by hand (runs outside the default sizes and what
# the figures mean); `make bench` keeps it.
NOTES = "<!-- Written by hand below; make bench keeps it. -->"


class PeakMemory:
    """Samples the resident memory of this process and its parser children."""

    def __init__(self) -> None:
        self.peak_total = 0
        self.peak_main = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                main = me.memory_info().rss
                children = sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                continue
            self.peak_main = max(self.peak_main, main)
            self.peak_total = max(self.peak_total, main + children)
            time.sleep(0.02)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def import_run(files: list[Path], workers: int) -> dict[str, float]:
    """Import `files` into a new library; time includes starting the parser processes."""
    size = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory() as temp, PeakMemory() as memory:
        start = time.perf_counter()
        with Services.open(Path(temp) / "library", create=True, workers=workers) as services:
            services.people.acting_user(None, Role.ADMIN, "bench")  # a new library's owner imports
            report, _ = services.assets.import_paths(files)
        seconds = time.perf_counter() - start
    imported = report.count(ImportStatus.IMPORTED) + report.count(
        ImportStatus.IMPORTED_WITH_WARNINGS
    )
    assert imported == len(files), [r for r in report.results if r.status is ImportStatus.REJECTED]
    return {
        "files": len(files), "mb": size / 1e6, "seconds": seconds,
        "files_per_s": len(files) / seconds, "mb_per_s": size / 1e6 / seconds,
        "peak_main_mb": memory.peak_main / 1e6, "peak_total_mb": memory.peak_total / 1e6,
    }  # fmt: skip


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")  # fmt: skip


def import_section(workers: int) -> list[str]:
    with tempfile.TemporaryDirectory() as temp:
        print("generating 500 mixed files and 300 PDFs …", flush=True)
        mixed = generate(Path(temp) / "mixed", 500, seed=7)
        pdfs = generate(Path(temp) / "pdfs", 300, seed=11, pdf_only=True)
        print("importing …", flush=True)
        rows = {"Mixed set (500 files)": import_run(mixed, workers),
                "PDFs only (300 files, 1–8 pages)": import_run(pdfs, workers)}  # fmt: skip
    lines = [
        "## Import",
        "",
        f"Parser processes: {workers}. Each run imports into a new library, including the "
        "start of the parser processes, metadata, text per page and a thumbnail per file, one "
        "transaction (with fsync) per file, and the search index update after the batch.",
        "",
        "| Set | Files | MB | Seconds | Files/s | MB/s | Peak RSS, importer | Peak RSS, with parsers |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['files']:.0f} | {r['mb']:.1f} | {r['seconds']:.1f} | "
            f"{r['files_per_s']:.1f} | {r['mb_per_s']:.2f} | {r['peak_main_mb']:.0f} MB | "
            f"{r['peak_total_mb']:.0f} MB |"
        )
    return [*lines, "", "Target (DESIGN.md §5): at least 20 PDFs/s on 2 cores.", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000",
                        help="library sizes for the search benchmark (comma-separated)")  # fmt: skip
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-desktop", action="store_true", help="no window benchmarks")
    parser.add_argument("--skip-render", action="store_true", help="no customized-PDF benchmarks")
    parser.add_argument("--skip-edit", action="store_true", help="no edit-during-import benchmark")
    parser.add_argument("--skip-relevance", action="store_true", help="no CISI ranking benchmark")
    parser.add_argument("--skip-requests", action="store_true", help="no edit-request benchmark")
    parser.add_argument("--skip-hub", action="store_true", help="no team-hub benchmark")
    parser.add_argument("--skip-field", action="store_true", help="no field-feedback benchmark")
    parser.add_argument("--skip-insights", action="store_true", help="no insights benchmark")
    parser.add_argument("--hub-minutes", type=float, default=5, help="the hub's load test")
    parser.add_argument("--output", type=Path, default=REPORT, help="where the report goes")
    args = parser.parse_args()
    workers = min(2, os.cpu_count() or 1)
    lines = [
        "# Benchmarks",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `make bench` on: {machine()}.",
        "",
    ]
    if not args.skip_import:
        lines += import_section(workers)
    if not args.skip_edit:
        lines += edit_during_import.report(edit_during_import.run())
    if not args.skip_relevance and relevance.COLLECTION.is_dir():
        lines += relevance.report(relevance.run())
    if not args.skip_relevance:
        lines += signals_bench.report(signals_bench.run())
    results = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        print(f"search benchmark at {size:,} assets …", flush=True)
        results.append(run_size(size, None if args.skip_desktop else desktop_run))
    if results:
        lines += report(results)
    if not args.skip_desktop:
        lines += desktop_report([(r["assets"], r["desktop"]) for r in results])  # type: ignore[misc]
    if not args.skip_render:
        print("customized PDFs …", flush=True)
        lines += render_bench.report(render_bench.run_isolated())
    if not args.skip_requests:
        print("edit requests …", flush=True)
        lines += requests_bench.report(requests_bench.run())
    if not args.skip_field:
        print("feedback from the field …", flush=True)
        lines += field_bench.report(field_bench.run())
    if not args.skip_insights:
        print("insights …", flush=True)
        lines += insights_bench.report(insights_bench.run())
    if not args.skip_hub:
        print("team hub …", flush=True)
        lines += hub_bench.report(hub_bench.run(args.hub_minutes))
        print("sync …", flush=True)
        lines += sync_bench.report(sync_bench.run())
    args.output.parent.mkdir(exist_ok=True)
    old = args.output.read_text() if args.output.exists() else ""
    if NOTES in old:
        lines += ["", NOTES + old.split(NOTES, 1)[1]]
    args.output.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
