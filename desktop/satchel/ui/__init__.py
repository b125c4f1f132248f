"""The desktop app (PySide6). The library window is built in the desktop issue."""
