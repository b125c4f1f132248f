"""Desktop benchmarks: UI-thread stalls while typing, scrolling, cold start, memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from satchel.core.services import Services
from satchel.core.settings import Settings, SettingsFiles
from satchel.ui.desktop import STARTUP_PROBE, application, create_window
from satchel.ui.main_window import MainWindow

KEY_INTERVAL_MS = 110  # a brisk typist
QUERIES = ("gateway de", "maintenanc", "sensor vib", "datasheet ")  # ten characters each


class StallMeter:
    """The longest gap between two turns of the UI thread's event loop."""

    def __init__(self) -> None:
        self._clock = QElapsedTimer()
        self._timer = QTimer(interval=1)
        self._timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = 0

    def __enter__(self) -> StallMeter:
        self._clock.start()
        self._last = 0
        self._timer.start()
        return self

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        self.longest = max(self.longest, (now - self._last) / 1e6)
        self._last = now

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()


def pump(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def settle(app: QApplication, window: MainWindow, timeout: float = 120) -> None:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        app.processEvents()
        if not window.search.busy and window.runner.pending == 0:
            return
        time.sleep(0.002)
    raise TimeoutError("the window did not settle")


def typing_stalls(app: QApplication, window: MainWindow, mode: str) -> list[float]:
    """Type each query key by key, as a person would; the longest stall per query."""
    window.results.set_mode(mode)
    stalls = []
    for query in QUERIES:
        window.search_box.clear()
        settle(app, window)
        window.search_box.setFocus()
        with StallMeter() as meter:
            for char in query:
                QTest.keyClicks(window.search_box, char)
                pump(app, KEY_INTERVAL_MS / 1000)
            settle(app, window)
            pump(app, 0.3)  # results, facets and thumbnails painted
        stalls.append(meter.longest)
    return stalls


def scroll_steps(app: QApplication, window: MainWindow) -> list[float]:
    """Page through the list view top to bottom; ms per repaint."""
    window.search_box.clear()
    settle(app, window)
    window.results.set_mode("list")
    view = window.results.table
    bar = view.verticalScrollBar()
    steps = []
    for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 60)):
        start = time.perf_counter()
        bar.setValue(value)
        view.viewport().repaint()
        steps.append((time.perf_counter() - start) * 1000)
        pump(app, 0.02)  # let pages that were asked for arrive, as while scrolling
    return steps


def cold_start(library: Path, runs: int = 3) -> tuple[float, float, float]:
    """Median seconds from launching `satchel` to the first painted window and to the
    first results shown, measured by this process (interpreter start and imports
    included), and the app's resident memory then (MB) with every asset listed."""
    painted, interactive, memory = [], [], []
    env = {**os.environ, STARTUP_PROBE: "1", "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "satchel", "--library", str(library)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
        )  # fmt: skip
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("painted"):
                painted.append(time.perf_counter() - start)
            elif line.startswith("interactive"):
                interactive.append(time.perf_counter() - start)
                memory.append(float(line.split("rss_mb=")[1]))
        child.wait(timeout=120)
    return statistics.median(painted), statistics.median(interactive), max(memory)


def run(library: Path) -> dict[str, object]:
    """All desktop figures on one library (the window runs in this process)."""
    out: dict[str, object] = {}
    out["cold_painted_s"], out["cold_interactive_s"], out["rss_listed_mb"] = cold_start(library)
    app = application()
    services = Services.open(library)
    settings_file = library.parent / "bench-settings.toml"
    window = create_window(services, Settings(SettingsFiles(settings_file)), None)
    window.resize(1360, 860)
    window.show()
    settle(app, window)
    pump(app, 0.5)
    out["stall_grid_ms"] = typing_stalls(app, window, "grid")
    out["stall_list_ms"] = typing_stalls(app, window, "list")
    out["scroll_ms"] = scroll_steps(app, window)
    window.close()
    window.runner.shutdown()
    services.close()
    window.deleteLater()
    pump(app, 0.1)
    return out


def report(results: list[tuple[int, dict[str, object]]]) -> list[str]:
    lines = ["## Desktop", "",
             "The real window (offscreen) on the same generated libraries. *Stall*: the longest "
             "time the UI thread did not turn its event loop while typing a 10-character query "
             f"at one key per {KEY_INTERVAL_MS} ms, until results, facets and thumbnails were "
             "painted (max over 4 queries; target ≤ 50 ms). *Cold start*: from launching "
             "`python -m satchel --library …` to the first painted window and to the first "
             "results shown (median of 3; target ≤ 1.5 s at 10k). *Scroll*: one repaint of the "
             "list after moving the scroll bar, 60 steps from top to bottom. *Memory*: resident "
             "size of the started app (its own process) with every asset listed.", "",
             "| Assets | Stall typing, grid | Stall typing, list | Cold start: painted | "
             "interactive | Scroll step p50 / max | Memory |",
             "|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for count, r in results:
        scroll: list[float] = r["scroll_ms"]  # type: ignore[assignment]
        lines.append(
            f"| {count:,} | {max(r['stall_grid_ms']):.0f} ms | "  # type: ignore[call-overload]
            f"{max(r['stall_list_ms']):.0f} ms | {r['cold_painted_s']:.2f} s | "  # type: ignore[call-overload]
            f"{r['cold_interactive_s']:.2f} s | {statistics.median(scroll):.1f} / "
            f"{max(scroll):.1f} ms | {r['rss_listed_mb']:.0f} MB |"
        )
    lines.append("")
    return lines
