"""Frozen-build entry point (PyInstaller runs this as __main__)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # parser child processes start through this executable
    from satchel.app import main

    sys.exit(main())
