"""``python -m npm_pinned install axe-core``: install a pinned npm package into this environment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .fetch import InstallError
from .packages import PACKAGES, default_root, find, install


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m npm_pinned", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("install", help="download pinned packages from the npm registry, verify them, and install them")
    command.add_argument("names", nargs="+", choices=sorted(PACKAGES), help="the packages to install")
    command.add_argument("--root", type=Path, default=None, help=f"install under this folder (default: {default_root()})")
    command.add_argument("--force", action="store_true", help="download and install again even if installed")
    arguments = parser.parse_args(argv)

    for name in arguments.names:
        package = PACKAGES[name]
        if not arguments.force and (existing := find(package, arguments.root)) is not None:
            print(f"npm-pinned: {name} {package.version} is already installed in {existing.folder}")
            continue
        try:
            installed = install(package, arguments.root, force=arguments.force)
        except InstallError as error:
            print(f"npm-pinned: {name}: {error}", file=sys.stderr)
            return 1
        print(f"npm-pinned: {name} {package.version} ({package.integrity[:20]}…, verified) installed in {installed.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
