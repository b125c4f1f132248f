"""Qt-free core: everything Satchel is, importable without PySide6."""
