"""`python -m scripts.localcloud up`: every local cloud service, up until Ctrl-C, for trying residency.

    python -m scripts.localcloud up [--empty] [--small] [--env-file FILE]

Starts moto's server with the project's AWS proxy, the project's local Google Cloud and Azure
servers and Azurite on free loopback ports, seeds the demo estate (unless --empty), then prints
the environment that points `residency` and the cloud SDKs at them as `export` lines, writes the
same lines to --env-file atomically once every service answers and seeding is done, prints one
line starting with "ready", and keeps everything up until Ctrl-C, SIGTERM or SIGHUP; then it
stops every service it started.

With --empty the clouds hold nothing: seed them with any SDK script using the printed environment
and the real create calls, exactly as in the cloud. The AWS credentials printed are then those of
an administrator (the seeded demo prints the read-only scanner's instead, and the administrator's
as RESIDENCY_DEMO_AWS_SEED_*).
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

from scripts.localcloud.aws import demo as aws_demo
from scripts.localcloud.azure import demo as azure_demo
from scripts.localcloud.gcp import demo as gcp_demo
from scripts.localcloud.services import REPO_ROOT, ServiceGroup

CLOUDS: dict[str, ModuleType] = {"aws": aws_demo, "gcp": gcp_demo, "azure": azure_demo}
READY = "ready"


def environment_lines(env: Mapping[str, str]) -> list[str]:
    return [f"export {name}={shlex.quote(value)}" for name, value in sorted(env.items())]


def write_env_file(path: Path, env: Mapping[str, str]) -> None:
    """All at once or not at all: a script waiting for the file never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(environment_lines(env)) + "\n")
    os.chmod(tmp, 0o600)  # it holds the local services' test credentials
    os.replace(tmp, path)


def start_clouds(group: ServiceGroup, log_dir: Path, empty: bool, small: bool) -> dict[str, str]:
    env: dict[str, str] = {}
    for module in CLOUDS.values():
        env.update(module.start(group, log_dir))
    if empty:
        # Nothing to hide from anyone: the SDKs (and residency) use the administrator's credentials.
        env["AWS_ACCESS_KEY_ID"] = env[aws_demo.ADMIN_KEY]
        env["AWS_SECRET_ACCESS_KEY"] = env[aws_demo.ADMIN_SECRET]
        return env
    with ThreadPoolExecutor(max_workers=len(CLOUDS)) as pool:
        for future in [pool.submit(module.seed, dict(env), small) for module in CLOUDS.values()]:
            future.result()
    return env


def _stop_on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.localcloud up", description=__doc__.split("\n\n")[0])
    parser.add_argument("--empty", action="store_true", help="start empty clouds; seed them yourself")
    parser.add_argument("--small", action="store_true", help="seed the smaller demo estate")
    parser.add_argument("--env-file", type=Path, help="also write the export lines to FILE once ready")
    parser.add_argument("--log-dir", type=Path, default=REPO_ROOT / ".localcloud", help="service logs")
    args = parser.parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    started = time.monotonic()
    try:
        with ServiceGroup(args.log_dir) as group:
            env = start_clouds(group, args.log_dir, args.empty, args.small)
            sys.stdout.write("\n".join(environment_lines(env)) + "\n")
            if args.env_file:
                write_env_file(args.env_file, env)
            what = "empty clouds" if args.empty else "the demo estate"
            print(f"{READY}: {len(group.services)} services with {what} in {time.monotonic() - started:.1f}s; "
                  "Ctrl-C stops them", flush=True)
            while True:
                signal.pause()
    except KeyboardInterrupt:
        print("stopped every local service", file=sys.stderr)
        return 0
