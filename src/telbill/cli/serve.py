"""``telbill serve``: the operator API and the customer portal on one local server (uvicorn); and the end of
``telbill demo --serve``: demo logins on the demo database, the URLs, then serving.

The server is the ASGI application of ``telbill.web.server`` (API + portal), loaded by uvicorn from its import
string with the settings in the environment, so this edge does not import the other two. The listening socket
is bound here first: the asked port (``--port``, ``$TELBILL_PORT``, 8000) or, when it is taken, the next free one
up to twenty further, else any free port the system gives — so ``make demo`` starts even when 8000 is busy.
``--workers N`` serves from N processes, each on its own socket of the same port (SO_REUSEPORT). Per-process
state stays per process: the login throttle counts per process, a revoked token is forgotten by the other
processes' credential caches within ten seconds; bill runs are followed in the process that runs them
(docs/api.md).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
from dataclasses import dataclass
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.text import Text

from telbill.app import bootstrap
from telbill.app.access import Role
from telbill.app.identities import NewStaff, create_login, create_staff, issue_token
from telbill.app.services import SECURE_COOKIES_VARIABLE

APP = "telbill.web.server:server_from_environment"
PORT_VARIABLE = "TELBILL_PORT"
DEFAULT_PORT = 8000


def bind(host: str, port: int, count: int = 1, tries: int = 20) -> list[socket.socket]:
    """``count`` listening sockets on ``host``, all on ``port`` or the next free one, else one the system picks.

    Several sockets share their port with SO_REUSEPORT: the kernel spreads the connections over the server
    processes evenly (one socket shared by all would let the busiest process accept most of them)."""
    for candidate in [*range(port, port + tries), 0]:
        opened: list[socket.socket] = []
        try:
            for _ in range(count):
                # IPPROTO_TCP named: asyncio sets TCP_NODELAY on accepted connections only for sockets that say
                # so, and without it every response split in two writes waits for the client's delayed ACK
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
                opened.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if count > 1:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                sock.bind((host, candidate or (opened[0].getsockname()[1] if len(opened) > 1 else 0)))
                sock.listen(128)
        except OSError:
            for sock in opened:
                sock.close()
            continue
        return opened
    raise typer.BadParameter(f"no free port on {host}")


def prepare(settings: bootstrap.Settings) -> None:
    """The settings in the environment for the server's factory, and the database migrated now (a broken one
    fails before anything is served)."""
    os.environ[bootstrap.DATABASE_URL_VARIABLE] = settings.database_url
    os.environ[bootstrap.CATALOG_DIR_VARIABLE] = str(settings.catalog_dir.resolve())
    bootstrap.web_services(settings).close()


def serve_on(console: Console, sockets: list[socket.socket]) -> None:
    """Serve on the sockets: in this process for one, else in one process per socket (``bind``)."""
    host, port = sockets[0].getsockname()[:2]
    base = f"http://{host}:{port}"
    console.print(f"portal {base}/ · back office {base}/backoffice/ · API {base}/api/v1/docs — Ctrl-C stops")
    if len(sockets) == 1:
        _serve(sockets[0])
        return
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_serve, args=(sock,), daemon=True) for sock in sockets]
    for worker in workers:
        worker.start()

    def stop(signum: int, _frame: object) -> None:
        for worker in workers:
            if worker.pid is not None and worker.is_alive():
                os.kill(worker.pid, signal.SIGTERM)  # uvicorn shuts down gracefully on SIGTERM

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for worker in workers:
        worker.join()


def _serve(sock: socket.socket) -> None:
    # no access log: a line per request costs more than some requests (warnings and errors are still logged);
    # uvicorn takes httptools and uvloop, dependencies of telbill, for its HTTP parser and event loop
    config = uvicorn.Config(APP, factory=True, log_level="warning", proxy_headers=False, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def _port(port: int | None) -> int:
    return port if port is not None else int(os.environ.get(PORT_VARIABLE) or DEFAULT_PORT)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    who: str
    email: str
    password: str
    note: str


DEMO_STAFF = DemoLogin("staff admin", "admin@demo.example", "telbill-admin-demo", "back office, every permission")
DEMO_CUSTOMERS = (  # one customer of each catalog first: they are printed
    ("TEL-DUPONT", DemoLogin("Bureau Dupont SRL", "dupont@demo.example", "telbill-dupont-demo", "Telenet CLIC BUREAU")),
    (
        "BGC-MERIDIEN",
        DemoLogin(
            "Hôtel Méridien SRL",
            "meridien@demo.example",
            "telbill-meridien-demo",
            "Belgacom fees, a late repair compensated",
        ),
    ),
)


def seed_demo_logins(settings: bootstrap.Settings) -> tuple[list[DemoLogin], str]:
    """The demo staff admin, a portal login for each demo customer, and an admin API token (returned)."""
    services = bootstrap.web_services(settings)
    try:
        access = services.access
        create_staff(access, NewStaff("admin", DEMO_STAFF.email, "Demo admin", Role.ADMIN, DEMO_STAFF.password))
        logins = [DEMO_STAFF]
        with services.reader() as uow:
            accounts = {a.id: a for a in uow.accounts.many(uow.accounts.ids())}
        for account_id, login in DEMO_CUSTOMERS:
            if account_id in accounts:
                create_login(access, account_id, login.email, login.password)
                logins.append(login)
        token = issue_token(access, "admin", "demo").secret
    finally:
        services.close()
    return logins, token


def print_logins(console: Console, base: str, logins: list[DemoLogin], token: str) -> None:
    """One line per login, never cut: a newcomer copies them from here."""
    console.print(Text("Demo logins (for this local demo only):", style="bold"))
    for login in logins:
        where = f"{base}/backoffice/" if login is DEMO_STAFF else f"{base}/"
        line = f"  {login.who:<20} {where:<36} {login.email} / {login.password}   ({login.note})"
        console.print(Text(line), soft_wrap=True)
    console.print(
        Text(f'  API token (admin): curl -H "Authorization: Bearer {token}" {base}/api/v1/customerBill'), soft_wrap=True
    )


def serve_demo(
    console: Console, settings: bootstrap.Settings, host: str = "127.0.0.1", port: int | None = None
) -> None:
    console.rule("Serving the API and the portal")
    logins, token = seed_demo_logins(settings)
    prepare(settings)
    if host == "127.0.0.1":  # plain HTTP on the loopback only: cookies every browser keeps there
        os.environ[SECURE_COOKIES_VARIABLE] = "0"
    sockets = bind(host, _port(port))
    print_logins(console, f"http://{host}:{sockets[0].getsockname()[1]}", logins, token)
    serve_on(console, sockets)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
        port: Annotated[int | None, typer.Option(help=f"The port (default ${PORT_VARIABLE}, else 8000).")] = None,
        workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes sharing the port.")] = 1,
    ) -> None:
        """Serve the operator API (/api/v1) and the customer portal (/) on the database of the settings."""
        prepare(bootstrap.Settings.from_environment())
        serve_on(Console(), bind(host, _port(port), workers))
