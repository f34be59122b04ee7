"""``python -m offline_katex install``: put the pinned KaTeX where the ``offline-katex`` plugin looks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .installer import InstallError, find_installation, install
from .release import KATEX, default_root


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m offline_katex", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("install", help=f"download KaTeX {KATEX.version} from the npm registry, verify it, and install it")
    command.add_argument("--root", type=Path, default=None, help=f"install under this folder (default: {default_root()})")
    command.add_argument("--force", action="store_true", help="download and install again even if installed")
    arguments = parser.parse_args(argv)

    if not arguments.force and (existing := find_installation(KATEX, arguments.root)) is not None:
        print(f"offline-katex: KaTeX {KATEX.version} is already installed in {existing.folder}")
        return 0
    try:
        installation = install(KATEX, arguments.root, force=arguments.force)
    except InstallError as error:
        print(f"offline-katex: {error}", file=sys.stderr)
        return 1
    print(
        f"offline-katex: KaTeX {KATEX.version} ({KATEX.integrity[:20]}…, verified) installed in {installation.folder}, "
        f"{len(installation.files)} files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
