#!/usr/bin/env python
"""A Spark standalone cluster on loopback: one master and one worker bound to 127.0.0.1.

Examples:
  python scripts/spark_cluster.py start            # master spark://127.0.0.1:7077 + 1 worker
  CX_SPARK_MASTER=spark://127.0.0.1:7077 make build TARGET=spark
  python scripts/spark_cluster.py status
  python scripts/spark_cluster.py stop

The daemons are the pyspark installation's own (`bin/spark-class`, the classes
org.apache.spark.deploy.master.Master and org.apache.spark.deploy.worker.Worker; make
install-spark). Their pid files, logs and the worker's scratch folder are under --dir
(default: $CX_SPARK_DIR or data/spark). `start` waits until the worker has registered with the
master and prints the master URL to give the spark target as CX_SPARK_MASTER.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402

HOST = "127.0.0.1"


def spark_home() -> Path:
    try:
        import pyspark
    except ImportError:
        raise SystemExit("spark_cluster: error: pyspark is not installed; run "
                         "`make install-spark`")
    return Path(pyspark.__file__).parent


def default_dir() -> Path:
    return Path(os.environ.get("CX_SPARK_DIR") or REPO / "data" / "spark")


def pid_file(directory: Path, role: str) -> Path:
    return directory / f"cluster-{role}.pid"


def running_pid(directory: Path, role: str) -> int | None:
    try:
        pid = int(pid_file(directory, role).read_text().split()[0])
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError, IndexError):
        return None


def recorded_port(directory: Path) -> int | None:
    try:
        return int(pid_file(directory, "master").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def launch(directory: Path, role: str, arguments: list[str], port: int) -> int:
    home = spark_home()
    env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP=HOST,
               SPARK_NO_DAEMONIZE="1", PYSPARK_PYTHON=sys.executable)
    log = (directory / f"cluster-{role}.log").open("w")
    process = subprocess.Popen([str(home / "bin" / "spark-class"), *arguments], env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pid_file(directory, role).write_text(f"{process.pid} {port}\n")
    return process.pid


def worker_registered(directory: Path) -> bool:
    log = directory / "cluster-worker.log"
    return log.is_file() and "Successfully registered with master" in log.read_text(errors="replace")


def start(directory: Path, port: int, web_port: int, cores: int, memory: str,
          timeout: float) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    if running_pid(directory, "master"):
        print(f"spark_cluster: already running: spark://{HOST}:{recorded_port(directory)}")
        return 0
    if port_open(port):
        print(f"spark_cluster: error: port {port} on {HOST} is in use; stop what holds it or "
              "choose another with --port", file=sys.stderr)
        return 1
    launch(directory, "master", ["org.apache.spark.deploy.master.Master", "--host", HOST,
                                 "--port", str(port), "--webui-port", str(web_port)], port)
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if time.monotonic() > deadline or not running_pid(directory, "master"):
            stop(directory)
            print(f"spark_cluster: error: the master did not listen on {HOST}:{port} within "
                  f"{timeout:.0f} s; see {directory / 'cluster-master.log'}", file=sys.stderr)
            return 1
        time.sleep(0.5)
    work = directory / "work"
    work.mkdir(exist_ok=True)
    launch(directory, "worker", ["org.apache.spark.deploy.worker.Worker",
                                 f"spark://{HOST}:{port}", "--host", HOST, "--cores", str(cores),
                                 "--memory", memory, "--work-dir", str(work),
                                 "--webui-port", str(web_port + 1)], port)
    while not worker_registered(directory):
        if time.monotonic() > deadline or not running_pid(directory, "worker"):
            stop(directory)
            print(f"spark_cluster: error: the worker did not register within {timeout:.0f} s; "
                  f"see {directory / 'cluster-worker.log'}", file=sys.stderr)
            return 1
        time.sleep(0.5)
    print(f"spark://{HOST}:{port}")
    return 0


def stop(directory: Path) -> int:
    stopped = []
    for role in ("worker", "master"):
        pid = running_pid(directory, role)
        if pid:
            os.killpg(pid, signal.SIGTERM)  # the daemon's own process group (start_new_session)
            for _ in range(40):
                if running_pid(directory, role) is None:
                    break
                time.sleep(0.25)
            stopped.append(role)
        pid_file(directory, role).unlink(missing_ok=True)
    print("spark_cluster: stopped " + (" and ".join(stopped) if stopped else "nothing (not running)"))
    return 0


def status(directory: Path) -> int:
    master, worker = running_pid(directory, "master"), running_pid(directory, "worker")
    if master and worker:
        print(f"spark_cluster: running: spark://{HOST}:{recorded_port(directory)} (master pid "
              f"{master}, worker pid {worker})")
        return 0
    print("spark_cluster: not running" + (" (master without worker)" if master else ""))
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="spark_cluster", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--dir", type=Path, default=None,
                        help="pid files, logs, worker scratch (default: $CX_SPARK_DIR or "
                             "data/spark)")
    port = cli.integer(minimum=1, maximum=65534, example=7077)
    parser.add_argument("--port", type=port, default=7077, help="master port (default: 7077)")
    parser.add_argument("--web-port", type=port, default=8080,
                        help="master web UI port; the worker's is the next (default: 8080)")
    parser.add_argument("--cores", type=cli.integer(minimum=1, example=2), default=2,
                        help="worker cores (default: 2)")
    parser.add_argument("--memory", default="2g", help="worker memory (default: 2g)")
    parser.add_argument("--timeout", type=cli.number(positive=True, example=120), default=120,
                        help="seconds to wait for the daemons (default: 120)")
    args = parser.parse_args(argv)
    directory = (args.dir or default_dir()).resolve()
    if args.command == "start":
        return start(directory, args.port, args.web_port, args.cores, args.memory, args.timeout)
    if args.command == "stop":
        return stop(directory)
    return status(directory)


if __name__ == "__main__":
    sys.exit(main())
