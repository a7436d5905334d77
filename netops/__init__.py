"""netops: LAN and Wi-Fi operations for the secretariat's two campuses."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("netops")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
