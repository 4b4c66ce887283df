"""Web application commands: ``masa serve``, ``masa audit verify|checkpoint`` and ``masa users``."""

from __future__ import annotations

from typing import Optional

import os
import sys
from pathlib import Path

import typer

from .common import console, fail
from .worker_cmd import start_beside

audit_app = typer.Typer(help="The tamper-evident audit log of the web application.", no_args_is_help=True)
users_app = typer.Typer(help="Web application users: roles, API tokens, two-factor codes.", no_args_is_help=True)
ROLES = ("contributor", "approver", "business_unit", "scrutineer")


LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MIN_SECRET_KEY = 50  # Django's own check (security.W009) asks for at least 50 characters


DEMO_EXAMPLES = (Path("examples/luton-2024-25"), Path("examples/bedford-borough-2024-25"),
                 Path("examples/central-bedfordshire-2024-25"))


def _load_demo(examples: list[Path]) -> None:
    """Load the example partnerships into one database and create the demo users (all or
    nothing for the users: one transaction)."""
    from django.db import transaction

    from masa.spec.yamlsource import SourceError
    from masa.web.auditlog.cli import invocation, record
    from masa.web.demo import DEMO_PASSWORD, create_demo_users
    from masa.web.store import load_folder, spec_for

    for folder in examples:
        if not folder.is_dir():
            fail(f"example folder {folder} not found; pass --example FOLDER")
    who = invocation()
    loaded = []
    for folder in examples:
        try:
            loaded.append(load_folder(folder, who=who).partnership)
        except SourceError as exc:
            fail(f"the example {folder} does not load: {exc}")
    with transaction.atomic():
        users = create_demo_users([spec_for(code) for code in loaded], who=who)
        for code in loaded:
            record(who, "user.demo_users_set", f"spec:{code}", {"users": [u.username for u in users]})
    several = [u for u in users if len(u.partnerships) > 1 and u.role == "business_unit"]
    console.print(f"Demo: {', '.join(loaded)}; {len(users)} users, password [bold]{DEMO_PASSWORD}[/], e.g. "
                  f"bu@example.org" + (f" (business unit in {' and '.join(several[0].partnerships)}: switch "
                                       "between them in the header)" if several else ""),
                  highlight=False, soft_wrap=True)


def serve(
    port: int = typer.Option(8000, help="Port on 127.0.0.1."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    demo: bool = typer.Option(False, help="Load the example partnerships and create demo users (see docs/web.md)."),
    example: list[Path] = typer.Option(list(DEMO_EXAMPLES), help="Partnership folder loaded with --demo; repeat it "
                                                                 "for several (default: the three Pan-Bedfordshire "
                                                                 "examples, in one database)."),
    dev: bool = typer.Option(False, help="Django's development server instead of gunicorn."),
    workers: int = typer.Option(3, help="gunicorn worker processes."),
    worker: bool = typer.Option(True, help="Also run the background worker (notifications, report builds)."),
    insecure_http: Optional[bool] = typer.Option(
        None, help="Allow session cookies over plain HTTP. Default: on for 127.0.0.1/localhost (local use), "
                   "off anywhere else, where masa must sit behind TLS."),
) -> None:
    """Migrate the database, optionally load the demo, and run the web application."""
    if host not in LOOPBACK:
        key = os.environ.get("MASA_SECRET_KEY", "")
        if not key:
            fail(f"serving on {host} needs MASA_SECRET_KEY set to a long random secret: the built-in "
                 f"development key would let anyone forge sessions")
        if len(key) < MIN_SECRET_KEY:
            fail(f"serving on {host} needs a MASA_SECRET_KEY of at least {MIN_SECRET_KEY} characters (it has "
                 f"{len(key)}); make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'")
    if insecure_http is None:
        insecure_http = host in LOOPBACK
    if insecure_http:
        os.environ["MASA_INSECURE_HTTP"] = "1"
    from masa.web import setup

    setup(migrate=True)
    if demo:
        _load_demo(example)
    console.print(f"Serving masa on http://{host}:{port}/")
    if worker:  # notifications and report builds run in `masa worker`, started beside the server
        start_beside(os.getpid())
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return
    os.environ["MASA_WARM_UP"] = "1"  # with --preload: the master loads shared work once, then forks
    cmd = [sys.executable, "-m", "gunicorn", "masa.web.wsgi:application", "--preload", "--bind", f"{host}:{port}",
           "--workers", str(workers), "--threads", "4", "--timeout", "60", "--keep-alive", "30", "--access-logfile", "-"]
    sys.stdout.flush()
    # Replace this process with gunicorn, so a signal to `masa serve` reaches the server itself.
    os.execv(sys.executable, cmd)


def verify(checkpoint: Optional[Path] = typer.Option(
        None, help="Also check the log against a checkpoint exported with `masa audit checkpoint`.")) -> None:
    """Check the audit log's hash chain, its anchor outside the database and any checkpoint;
    names every edited or missing row; exit 1 unless the log is proven intact."""
    mark = _read_checkpoint(checkpoint) if checkpoint else None
    from masa.web import setup

    setup(migrate=True)
    from masa.web.auditlog.chain import verify as run
    from masa.web.auditlog.keys import AuditKeyError

    try:
        report = run(mark, str(checkpoint or ""))
    except AuditKeyError as exc:
        fail(str(exc), code=1)
    for note in report.notes:
        console.print(f"note: {note}", highlight=False, soft_wrap=True)
    if report.problems:
        for p in report.problems:
            console.print(f"[bold red]not intact:[/] {p.message}", highlight=False, soft_wrap=True)
        console.print(f"{len(report.problems)} problem(s) in {report.rows} audit log row(s)")
        raise typer.Exit(1)
    extra = f"; matches checkpoint {checkpoint}" if checkpoint else ""
    console.print(f"audit log intact: {report.rows} row(s), hash chain verified, {report.anchor}{extra}",
                  highlight=False, soft_wrap=True)


def _read_checkpoint(path: Path):
    from masa.web.auditlog.anchor import MarkError, read

    try:
        return read(path)
    except MarkError as exc:
        fail(f"checkpoint {exc}")


def checkpoint(out: Path = typer.Option(..., help="File to write; keep it away from this server.")) -> None:
    """Export the newest row's number and hash, after checking the log, so that `masa audit
    verify --checkpoint FILE` can later show no row up to it was deleted or changed."""
    from masa.web import setup

    setup(migrate=True)
    from masa.web.auditlog.anchor import Mark, write
    from masa.web.auditlog.chain import verify as run
    from masa.web.auditlog.models import ChainHead

    report = run()
    if report.problems:
        for p in report.problems:
            console.print(f"[bold red]not intact:[/] {p.message}", highlight=False, soft_wrap=True)
        fail("no checkpoint written: the audit log does not verify (see above)", code=1)
    head = ChainHead.objects.first()
    mark = Mark(head.seq, head.hash) if head else Mark(0, "0" * 64)
    try:
        write(out, mark)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    console.print(f"checkpoint written to {out}: row {mark.seq}, hash {mark.hash[:16]}…", highlight=False)


def add_user(
    email: str = typer.Argument(..., help="The user's email address (their sign-in name)."),
    role: str = typer.Option(..., help="contributor | approver | business_unit | scrutineer"),
    partner: str = typer.Option("", help="Partner code, for contributor and approver."),
    partnership: list[str] = typer.Option([], help="Partnership code(s) a business_unit or scrutineer role is in "
                                                   "(repeat for several); required when the database holds several, "
                                                   "else the only one."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True,
                                 help="At least 12 characters, not a common password, not like the email."),
) -> None:
    """Create a user with one role, or change an existing user's role and password."""
    if role not in ROLES:
        fail(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError:
        fail(f"{email!r} is not an email address; a user signs in with their email, e.g. lead@example.org")
    if role in ("contributor", "approver") and not partner:
        fail(f"a {role} belongs to a partner: pass --partner CODE")
    if role not in ("contributor", "approver") and partner:
        fail(f"a {role} does not belong to a partner: leave out --partner")
    from masa.web import setup

    setup(migrate=True)
    from django.contrib.auth import get_user_model

    from masa.web.accounts.passwords import password_problems
    from masa.web.core.models import Partner
    from masa.web.demo import ensure_user

    problems = password_problems(password, email)
    if problems:
        fail(f"password refused, nothing was changed: {' '.join(problems)}")
    from masa.web.store import stored_partnerships

    if partnership and role in ("contributor", "approver"):
        fail(f"a {role} works in every partnership its partner serves: leave out --partnership")
    codes = stored_partnerships()
    if not partnership and role not in ("contributor", "approver") and len(codes) > 1:
        # else the role would land in the first partnership stored, which may not be the one meant
        fail(f"this database holds several partnerships ({', '.join(codes)}): say which the {role} "
             "works in with --partnership CODE (repeat it for several)")
    unknown = [c for c in partnership if c not in stored_partnerships()]
    if unknown:
        fail(f"unknown partnership {unknown[0]!r}; valid partnerships: "
             f"{', '.join(stored_partnerships()) or 'none (run masa load)'}")
    if partner and not Partner.objects.filter(code=partner).exists():
        valid = ", ".join(Partner.objects.order_by("code").values_list("code", flat=True)) or "none (run masa load)"
        fail(f"unknown partner {partner!r}; valid partners: {valid}")
    from django.db import transaction

    from masa.web.auditlog.cli import record

    with transaction.atomic():  # the user, the role and the entry naming who ran this: all or none
        existed = get_user_model().objects.filter(username=email).exists()
        user = ensure_user(email, role, partner or None, password)
        user.set_password(password)
        user.save()
        from masa.web.accounts.models import PartnershipRole

        for code in partnership:
            PartnershipRole.grant(None, user, code, role)
        record(None, "user.changed" if existed else "user.added", f"user:{email}",
               {"role": role, "partner": partner or None, "password_set": True,
                **({"partnerships": list(partnership)} if partnership else {})})
    where = f" for {partner}" if partner else f" in {', '.join(partnership)}" if partnership else ""
    console.print(f"{email}: {role}{where}")


def _user(email: str):
    from masa.web import setup

    setup(migrate=True)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=email).first()
    if user is None:
        fail(f"no user {email!r}; add one with `masa users add`")
    return user


def token(email: str = typer.Argument(..., help="The user's email address."),
          label: str = typer.Option("", help="What the token is for.")) -> None:
    """Issue an API token for a user; it is printed once and stored only as a hash."""
    user = _user(email)  # sets Django up before any model is imported
    from django.db import transaction

    from masa.web.accounts.models import ApiToken
    from masa.web.auditlog.cli import record

    with transaction.atomic():
        key = ApiToken.issue(user, label)
        record(None, "token.issued", f"user:{email}", {"label": label})
    console.print(key, highlight=False)


def totp(email: str = typer.Argument(..., help="The user's email address.")) -> None:
    """Set up a TOTP authenticator for a user; prints the otpauth:// address to scan."""
    user = _user(email)  # sets Django up before any model is imported
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from masa.web.auditlog.cli import record

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        record(None, "user.totp_set", f"user:{email}", {})
    console.print(device.config_url, highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command()(serve)
    audit_app.command()(verify)
    audit_app.command()(checkpoint)
    app.add_typer(audit_app, name="audit")
    users_app.command("add")(add_user)
    users_app.command()(token)
    users_app.command()(totp)
    app.add_typer(users_app, name="users")
