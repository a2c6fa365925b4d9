"""``frontdesk serve`` and ``frontdesk hash-password``."""

from __future__ import annotations

import argparse
import getpass
import sys

from frontdesk_display.passwords import hash_password


def configure_serve(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``frontdesk serve``."""
    parser.add_argument("config", help="a configuration file or directory")
    parser.add_argument("--db", default="frontdesk.db", help="the SQLite file holding the state")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on")


def run_serve(args: argparse.Namespace) -> int:
    """Open the reception and serve it until interrupted."""
    import uvicorn

    from frontdesk_core.app import Frontdesk
    from frontdesk_display.app import create_app

    fd = Frontdesk.open(args.config, store=args.db, plugins=args.hooks.pm)
    try:
        app = create_app(fd, host=args.host)
        base = f"http://{args.host}:{args.port}"
        print(f"frontdesk: serving '{fd.config.site.name}' on {base}/ (Ctrl-C stops)", flush=True)
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level="warning",
            timeout_graceful_shutdown=3,
        )
    finally:
        fd.close()
    return 0


def configure_hash_password(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``frontdesk hash-password``."""
    parser.add_argument(
        "--stdin", action="store_true", help="read the password from standard input"
    )


def run_hash_password(args: argparse.Namespace) -> int:
    """Print the hash to paste into ``display.users[].password_hash``."""
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("frontdesk: the passwords differ", file=sys.stderr)
            return 1
    if not password:
        print("frontdesk: a password cannot be empty", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0
