"""Which Yici is running: the installed version, or the one in pyproject.toml beside the source."""

from __future__ import annotations

from pathlib import Path


def app_version(unknown: str = "unknown") -> str:
    """The installed Yici version (or pyproject.toml's when run from source); `unknown` if neither."""
    import importlib.metadata  # only when asked: reading package metadata is not free

    try:
        return importlib.metadata.version("yici")
    except importlib.metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, ValueError):
            return unknown
