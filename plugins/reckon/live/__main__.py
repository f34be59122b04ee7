"""``python -m reckon.live install``: put the pinned Pyodide where live pages look for it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .runtime import PYODIDE, InstallError, default_root, find_pyodide, install_pyodide


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m reckon.live", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("install", help=f"download Pyodide {PYODIDE.version} from the npm registry, verify it, and install it")
    command.add_argument("--root", type=Path, default=None, help=f"install under this folder (default: {default_root()})")
    command.add_argument("--force", action="store_true", help="download and install again even if installed")
    arguments = parser.parse_args(argv)
    if not arguments.force and (existing := find_pyodide(arguments.root)) is not None:
        print(f"reckon.live: Pyodide {PYODIDE.version} is already installed in {existing.folder}")
        return 0
    try:
        installation = install_pyodide(arguments.root, force=arguments.force)
    except InstallError as error:
        print(f"reckon.live: {error}", file=sys.stderr)
        return 1
    print(
        f"reckon.live: Pyodide {PYODIDE.version} ({PYODIDE.integrity[:20]}…, verified) installed in {installation.folder}, "
        f"{len(installation.package.files)} files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
