"""Command line: `python -m oms_app.cli migrate | create-user | disable-user | create-api-key |
seed-demo | rebuild-rollups`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from datetime import date

from oms_app.core.errors import DomainError
from oms_app.core.i18n import translate


def _connect() -> None:
    """Use OMS_DATABASE_URL, or start the embedded PostgreSQL when it is unset."""
    import oms_app.models  # noqa: F401  (every table, for foreign keys across areas)
    from oms_app.runtime import ensure_database

    ensure_database()


def cmd_migrate(_: argparse.Namespace) -> int:
    from oms_app.runtime import migrate_and_sync

    migrate_and_sync()
    print("database is at the newest schema")
    return 0


class PasswordUnreadable(Exception):
    """The password could not be read (the message says why)."""


def _read_password(args: argparse.Namespace) -> str:
    """The new password: from the named variable, from stdin, or typed twice without echo."""
    if args.password_env:
        if not (password := os.environ.get(args.password_env)):
            raise PasswordUnreadable(f"environment variable {args.password_env} is empty or unset")
        return password
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise PasswordUnreadable("no terminal to ask the password: use --password-stdin")
    password = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != password:
        raise PasswordUnreadable("the two passwords differ")
    return password


def cmd_create_user(args: argparse.Namespace) -> int:
    from oms_app.accounts import admin as accounts_admin
    from oms_app.core.db import UnitOfWork
    from oms_app.core.permissions import SYSTEM_ACTOR

    try:
        password = _read_password(args)
    except PasswordUnreadable as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    user_id = accounts_admin.create_user(
        UnitOfWork(),
        actor=SYSTEM_ACTOR,
        username=args.name,
        password=password,
        display_name=args.display_name or args.name,
        roles=args.role,
        email=args.email,
    )
    print(f"created user {args.name} (id {user_id}) with roles {', '.join(args.role)}")
    _print_next_steps(args.name, args.role)
    return 0


def _print_next_steps(name: str, roles: list[str]) -> None:
    from oms_app.core.config import get_settings

    print(f"next: sign in as {name} at {get_settings().base_url}/login")
    if {"admin", "finance"} & set(roles):
        print("  at the first log-in you enrol two-factor: scan the QR code with an authenticator")
    if "admin" in roles:
        print("  then create the other users on /admin/users")


def cmd_disable_user(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from oms_app.accounts import admin as accounts_admin
    from oms_app.accounts.models import User
    from oms_app.core.db import UnitOfWork
    from oms_app.core.permissions import SYSTEM_ACTOR

    uow = UnitOfWork()
    with uow:
        user_id = uow.session.scalar(sa.select(User.id).where(User.username == args.name))
    if user_id is None:
        print(f"error: no user {args.name}", file=sys.stderr)
        return 2
    accounts_admin.set_active(uow, actor=SYSTEM_ACTOR, user_id=user_id, active=False)
    print(f"disabled user {args.name}: it can no longer sign in")
    return 0


def cmd_create_api_key(args: argparse.Namespace) -> int:
    from oms_app.accounts import admin as accounts_admin
    from oms_app.core.db import UnitOfWork
    from oms_app.core.permissions import SYSTEM_ACTOR

    key = accounts_admin.create_api_key(UnitOfWork(), actor=SYSTEM_ACTOR, name=args.name)
    print(key)
    print("store this key now: it is not shown again", file=sys.stderr)
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from oms_app.runtime import load_demo_data

    started = time.monotonic()
    counts = load_demo_data(orders=args.orders, seed=args.seed, verbose=True)
    print(
        f"demo data loaded in {time.monotonic() - started:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    return 0


def cmd_rebuild_rollups(args: argparse.Namespace) -> int:
    from oms_app.analytics import rollups
    from oms_app.core.db import UnitOfWork

    def progress(done: int, total: int) -> None:
        print(f"\r  months: {done}/{total}", end="", file=sys.stderr, flush=True)

    started = time.monotonic()
    written = rollups.rebuild(
        UnitOfWork(), first=args.date_from, last=args.date_to, progress=progress
    )
    print(file=sys.stderr)
    print(f"dashboard rollups rebuilt in {time.monotonic() - started:.1f} s: {written} rows")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m oms_app.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    user = sub.add_parser("create-user", help="create a user")
    user.add_argument("name")
    user.add_argument(
        "--role",
        action="append",
        required=True,
        help="a role (repeat for more): admin, sales, sales_manager, finance, "
        "warehouse, executive, customer",
    )
    source = user.add_mutually_exclusive_group()
    source.add_argument(
        "--password-env", metavar="VAR", help="the environment variable holding the password"
    )
    source.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line"
    )
    user.add_argument("--display-name", default="")
    user.add_argument("--email", default="")
    user.set_defaults(func=cmd_create_user)
    disable = sub.add_parser("disable-user", help="disable an account (it can no longer sign in)")
    disable.add_argument("name")
    disable.set_defaults(func=cmd_disable_user)
    key = sub.add_parser("create-api-key", help="create an API key and print it once")
    key.add_argument("name")
    key.set_defaults(func=cmd_create_api_key)
    seed = sub.add_parser("seed-demo", help="load the demo company into an empty database")
    seed.add_argument("--orders", type=int, default=20000)
    seed.add_argument("--seed", type=int, default=42)
    seed.set_defaults(func=cmd_seed_demo)
    rebuild = sub.add_parser(
        "rebuild-rollups",
        help="recompute the dashboard's daily rollups from the orders (all days, or a span)",
    )
    rebuild.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD")
    rebuild.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD")
    rebuild.set_defaults(func=cmd_rebuild_rollups)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "seed-demo" and args.orders < 0:
        print("error: --orders: must be 0 or more", file=sys.stderr)
        return 2
    if args.command == "rebuild-rollups" and args.date_from and args.date_to:
        if args.date_from > args.date_to:
            print("error: --to: must not be before --from", file=sys.stderr)
            return 2
    _connect()
    try:
        return args.func(args)
    except DomainError as err:
        field = f"{err.field}: " if err.field else ""
        print(f"error: {field}{translate(err.code, 'en', **err.params)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
