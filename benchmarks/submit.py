"""Online submissions per second over HTTP, against a bare durable insert in the same run.

Run: `.venv/bin/python benchmarks/submit.py` (or `make bench`). Needs the PostgreSQL on
127.0.0.1:5432 (BENCH_PG_URL overrides): it creates a throw-away database, migrates it, starts
gunicorn on a free local port and posts BENCH_REQUESTS (default 1,000) submissions of a realistic
birth-registration form (~2 KB of answers) through POST /api/v1/dossiers from BENCH_CLIENTS
(default 16) concurrent clients, each with its own citizen account, bearer token and idempotency
key, over one kept-alive connection each (as browsers and the national portal's gateway do).

gunicorn runs as we recommend for production (README): BENCH_WORKERS processes (default one per
core) of BENCH_THREADS threads (default 4, `--worker-class gthread`). A submission spends most
of its wall time waiting for PostgreSQL round trips and the commit's fsync, so a few threads per
process keep the cores busy with fewer processes, and gthread keeps connections alive (sync
workers close each one). BENCH_WORKERS=5 BENCH_THREADS=1 gives the former sync set-up.

The baseline is the database alone: one INSERT of a row of the same size + COMMIT per
submission, from the same number of clients.
Targets (issue 4): >= 300 submissions/s on 2 cores and p95 < 100 ms. The load generator runs
on the same 2 cores as the server, which the figures include.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = f"motcua_bench_{os.getpid()}"
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))

ANSWERS = {
    "nguoi_yeu_cau": {
        "ho_ten": "Nguyễn Văn An",
        "so_dinh_danh": "079089000456",
        "noi_cu_tru": "12 Lê Lợi, Phường Sài Gòn",
    },
    "tre": {
        "ho_ten": "Nguyễn Thị Bình An",
        "ngay_sinh": "2026-11-20",
        "gioi_tinh": "nu",
        "noi_sinh": "Bệnh viện Từ Dũ",
    },
    "me": {"ho_ten": "Trần Thị Hoa", "ngay_sinh": "1995-03-04", "dan_toc": "Kinh", "quoc_tich": "Việt Nam"},
    "cha": {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1992-07-08", "dan_toc": "Kinh", "quoc_tich": "Việt Nam"},
    "ghi_chu": "Đề nghị cấp 02 bản sao Giấy khai sinh. " * 20,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(name: str) -> str:
    return PG.rsplit("/", 1)[0] + f"/{name}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, latencies: list[float], seconds: float) -> tuple[float, float]:
    rate = len(latencies) / seconds
    p95 = percentile(latencies, 0.95) * 1000
    print(
        f"  {name:<28} {rate:8.1f} /s   p50 {statistics.median(latencies) * 1000:6.1f} ms   "
        f"p95 {p95:6.1f} ms   max {max(latencies) * 1000:6.1f} ms"
    )
    return rate, p95


def prepare(env: dict[str, str]) -> list[str]:
    """Migrate, load the demo catalogue, make one citizen per client; return their tokens."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--no-accounts"], env=env, check=True, stdout=subprocess.DEVNULL)
    script = (
        "from motcua.accounts.models import User\n"
        f"for i in range({CLIENTS}):\n"
        "    User.objects.create_user(username=f'bench{i}', password='bench-password-1', personal_id='079215000001',"
        " full_name='Nguyễn Văn An')\n"
    )
    subprocess.run([*manage, "shell", "-c", script], env=env, check=True, stdout=subprocess.DEVNULL)
    return []


_client = threading.local()


def post(port: int, path: str, body: dict[str, object], headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    """POST over this thread's kept-alive connection (reopened if the server closed it)."""
    if not hasattr(_client, "connection"):
        _client.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection: http.client.HTTPConnection = _client.connection
    connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **headers})
    response = connection.getresponse()
    data = json.loads(response.read() or b"{}")
    return response.status, data


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def gunicorn_workers(master: int) -> list[int]:
    try:
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def run_http(port: int, server: int) -> tuple[list[float], float]:
    tokens = []
    for i in range(CLIENTS):
        status, data = post(port, "/api/v1/auth/token", {"username": f"bench{i}", "password": "bench-password-1"}, {})
        assert status == 200, data
        tokens.append(str(data["token"]))
    # Citizens of the six demo wards submit to their own ward, as they would; BENCH_ONE_AGENCY=1
    # sends everything to one ward, whose receipts queue on its daily counter (the worst case).
    wards = ["000.00.31.H29", "000.00.32.H29", "000.00.33.H29", "000.00.34.H29", "000.00.35.H29", "000.00.36.H29"]
    if os.environ.get("BENCH_ONE_AGENCY"):
        wards = wards[:1]
    form = {"to-khai-dang-ky-khai-sinh": {"version": 1, "answers": ANSWERS}}
    latencies: list[float] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[i % CLIENTS]}", "Idempotency-Key": uuid.uuid4().hex}
        body: dict[str, object] = {"procedure": "1.001193", "agency": wards[i % len(wards)], "form_data": form}
        start = time.perf_counter()
        status, data = post(port, "/api/v1/dossiers", body, headers)
        elapsed = time.perf_counter() - start
        assert status == 201, (status, data)
        with lock:
            latencies.append(elapsed)

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        # Warm-up, not counted: every worker has booted (gunicorn listens before its workers have
        # imported Django) and every client holds its connection.
        list(pool.map(submit, range(CLIENTS * 2)))
        latencies.clear()
        workers = gunicorn_workers(server)
        server_cpu, client_cpu = cpu_seconds(workers), time.process_time()
        started = time.perf_counter()
        list(pool.map(submit, range(REQUESTS)))
        seconds = time.perf_counter() - started
        server_cpu, client_cpu = cpu_seconds(workers) - server_cpu, time.process_time() - client_cpu
    if workers:
        # CPU per request, unlike the rate, hardly moves when other work shares the cores.
        print(
            f"  CPU per submission: gunicorn {server_cpu / REQUESTS * 1000:.2f} ms, "
            f"load generator {client_cpu / REQUESTS * 1000:.2f} ms (PostgreSQL not counted)"
        )
    return latencies, seconds


def run_bare_insert(url: str) -> tuple[list[float], float]:
    payload = json.dumps({"to-khai-dang-ky-khai-sinh": {"version": 1, "answers": ANSWERS}}, ensure_ascii=False)
    with psycopg.connect(url, autocommit=True) as setup:
        setup.execute(
            "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, code text UNIQUE, at timestamptz, data jsonb)"
        )
    latencies: list[float] = []
    lock = threading.Lock()
    local = threading.local()

    def insert(i: int) -> None:
        if not hasattr(local, "db"):
            local.db = psycopg.connect(url)
        start = time.perf_counter()
        local.db.execute("INSERT INTO bench_insert (code, at, data) VALUES (%s, now(), %s)", (f"c-{i}", payload))
        local.db.commit()  # durable: the same fsync a submission pays
        with lock:
            latencies.append(time.perf_counter() - start)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(insert, range(REQUESTS)))
    return latencies, time.perf_counter() - started


def main() -> int:
    with psycopg.connect(PG, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    url = database_url(DB_NAME)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MOTCUA_VAR_DIR": str(Path(tempfile.gettempdir()) / DB_NAME),
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }
    server = None
    try:
        prepare(env)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(WORKERS),
                *(["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else []),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        kind = f"{WORKERS} gunicorn workers × {THREADS} threads" if THREADS > 1 else f"{WORKERS} sync gunicorn workers"
        print(
            f"Online submissions over HTTP: {REQUESTS} requests, {CLIENTS} clients, {kind}, "
            f"PostgreSQL, {os.cpu_count()} cores"
        )
        http_rate, http_p95 = report("POST /api/v1/dossiers", *run_http(port, server.pid))
        bare_rate, _ = report("bare durable INSERT+COMMIT", *run_bare_insert(url))
        print(f"  submission costs {bare_rate / http_rate:.1f}x a bare insert")
        rate_ok = "met" if http_rate >= 300 else "NOT met"
        p95_ok = "met" if http_p95 < 100 else "NOT met"
        print(f"  target >= 300/s: {rate_ok};  target p95 < 100 ms: {p95_ok}")
        return 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
        with psycopg.connect(PG, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
