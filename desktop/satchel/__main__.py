"""`python -m satchel`: the same as the `satchel` command."""

import sys

from satchel.app import main

if __name__ == "__main__":
    sys.exit(main())
