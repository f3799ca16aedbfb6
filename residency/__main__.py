"""`python -m residency`."""

from residency.cli import main

raise SystemExit(main())
