"""Reading a JSON input file (snapshot, baseline report) with one-line errors, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from residency.errors import InputError


def read_json(path: str | Path, what: str, fix: str, max_bytes: int) -> Any:
    """Parse `path`; `what` names the expected file ("inventory snapshot"), `fix` says what to give."""
    file = Path(path)
    try:
        if file.stat().st_size > max_bytes:
            raise InputError(f"{file}: larger than {max_bytes // 2**20} MiB; not a {what} this tool wrote")
        with file.open("rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{file}: no such {what} file; {fix}") from None
    except IsADirectoryError:
        raise InputError(f"{file}: is a directory; {fix}") from None
    except PermissionError:
        raise InputError(f"{file}: permission denied reading the {what}") from None
    except UnicodeDecodeError:
        raise InputError(f"{file}: not UTF-8 text; {fix}") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{file}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}; {fix}"
        ) from None
