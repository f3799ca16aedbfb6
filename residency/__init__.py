"""residency: check where cloud storage data really lives against data-residency policies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("residency")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"
