"""`python -m scripts.localcloud up ...`: see scripts/localcloud/up.py."""

from __future__ import annotations

import sys

from scripts.localcloud import up

COMMANDS = {"up": up.main}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.stderr.write(f"usage: python -m scripts.localcloud {{{','.join(COMMANDS)}}} [options]\n")
        raise SystemExit(2)
    raise SystemExit(COMMANDS[sys.argv[1]](sys.argv[2:]))
