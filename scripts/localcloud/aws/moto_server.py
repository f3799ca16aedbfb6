"""Start moto's S3/STS/IAM/... server and the project's proxy in front of it, on free ports.

Used by the AWS integration tests, `make demo` and `scripts/bench_aws.py`. Both run in a
`ServiceGroup`, so they stop with it. By hand, to try the scanner on an empty local S3:

    .venv/bin/python -m scripts.localcloud.aws.moto_server [--bucket-region] [--latency-ms 30]

prints the `export` lines to paste into another shell, and stops both servers on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import signal
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scripts.localcloud.aws.datastores import HEALTH_PATH as DATASTORES_HEALTH_PATH
from scripts.localcloud.aws.proxy import STATS_PATH
from scripts.localcloud.services import Service, ServiceGroup, free_port, python_command

# Fake credentials: moto accepts any until INITIAL_NO_AUTH_ACTION_COUNT actions have been served.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAMOTOLOCAL0000001",
    "AWS_SECRET_ACCESS_KEY": "moto-local-secret-not-a-real-key",
}


@dataclass(frozen=True)
class ProxyOptions:
    latency_ms: float = 0.0
    bucket_region: bool = False
    list_page_size: int | None = None
    directory_buckets: Mapping[str, str] = field(default_factory=dict)  # name -> "region[:key=value,...]"
    local_zones: Mapping[str, str] = field(default_factory=dict)  # zone id -> "region:group"
    throttle_buckets: Iterable[str] = ()
    deny_tagging_api: bool = False
    deny_directory_bucket_tags: bool = False
    datastores: str | None = None  # URL of the local datastore server (`start_datastores`)
    # Fault injection (see scripts.localcloud.aws.faults); none by default.
    loop_pages: Iterable[str] = ()
    malform: Iterable[str] = ()  # KIND[=BUCKET]
    deny_subresources: Iterable[str] = ()
    echo_credentials: bool = False
    echo_text: str = ""
    slow_bucket_ms: float = 0.0

    def arguments(self) -> list[str]:
        args = ["--latency-ms", str(self.latency_ms)]
        if self.bucket_region:
            args.append("--bucket-region")
        if self.list_page_size:
            args += ["--list-page-size", str(self.list_page_size)]
        for name, region in self.directory_buckets.items():
            args += ["--directory-bucket", f"{name}={region}"]
        for zone, where in self.local_zones.items():
            args += ["--local-zone", f"{zone}={where}"]
        for bucket in self.throttle_buckets:
            args += ["--throttle-bucket", bucket]
        if self.deny_tagging_api:
            args.append("--deny-tagging-api")
        if self.deny_directory_bucket_tags:
            args.append("--deny-directory-bucket-tags")
        if self.datastores:
            args += ["--datastores", self.datastores]
        return args + self._fault_arguments()

    def _fault_arguments(self) -> list[str]:
        args = [f"--loop-pages={op}" for op in self.loop_pages]
        args += [f"--malform={kind}" for kind in self.malform]
        args += [f"--deny-subresource={name}" for name in self.deny_subresources]
        if self.echo_credentials:
            args += ["--echo-credentials", f"--echo-text={self.echo_text}"]
        if self.slow_bucket_ms:
            args += ["--slow-bucket-ms", str(self.slow_bucket_ms)]
        return args


def start_moto(
    group: ServiceGroup, name: str = "moto", no_auth_actions: int | None = None, amazon_images: bool = False,
) -> Service:
    """moto's server; with `no_auth_actions`, IAM is enforced after that many actions.

    Without `amazon_images`, moto does not load Amazon's public images and their ~1,300 snapshots
    into every region: each DescribeSnapshots would otherwise take seconds to render them."""
    port = free_port()
    env: dict[str, str] = {} if amazon_images else {"MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
    if no_auth_actions is not None:
        env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(no_auth_actions)
    command = python_command("-m", "moto.server", "-H", "127.0.0.1", "-p", str(port))
    return group.start(name, command, port, health_path="/moto-api/", env=env)


def start_datastores(
    group: ServiceGroup, upstream: Service, name: str = "aws-datastores", enabled_regions: Iterable[str] = (),
) -> Service:
    """The project's server for what moto lacks in databases, backups and copies; give its URL to
    the proxy in front of the same moto (`ProxyOptions(datastores=...)`). `enabled_regions`: what
    DescribeRegions answers (default: the 17 regions AWS enables for every account); estates
    that hold no regional resources save a scan's listing of the others."""
    port = free_port()
    command = python_command("-m", "scripts.localcloud.aws.datastores.server", "--port", str(port),
                             "--upstream", upstream.url, "--enabled-regions", ",".join(enabled_regions))
    return group.start(name, command, port, health_path=DATASTORES_HEALTH_PATH)


def start_proxy(group: ServiceGroup, upstream: Service, options: ProxyOptions, name: str = "aws-proxy") -> Service:
    port = free_port()
    command = python_command(
        "-m", "scripts.localcloud.aws.proxy", "--port", str(port), "--upstream", upstream.url, *options.arguments()
    )
    return group.start(name, command, port, health_path=STATS_PATH)


def client_env(
    endpoint: str, region: str = "us-east-1", credentials: Mapping[str, str] | None = None
) -> dict[str, str]:
    """What an SDK (and `residency scan --provider aws`) needs to talk to the local endpoint."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": region,
        **(credentials or FAKE_CREDENTIALS),
        "AWS_EC2_METADATA_DISABLED": "true",  # never wait for an instance metadata service
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="moto's server behind the project's AWS proxy")
    parser.add_argument("--bucket-region", action="store_true", help="ListBuckets returns BucketRegion")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as logs, ServiceGroup(Path(logs)) as group:
        moto = start_moto(group)
        datastores = start_datastores(group, moto)
        proxy = start_proxy(group, moto, ProxyOptions(args.latency_ms, args.bucket_region, datastores=datastores.url))
        for name, value in client_env(proxy.url).items():
            print(f"export {name}={shlex.quote(value)}")
        print("# Ctrl-C stops moto and the proxy", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
