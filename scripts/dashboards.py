#!/usr/bin/env python
"""Start the dashboards (Streamlit, dashboards/app.py) on the read-only serving file.

Examples:
  python scripts/dashboards.py                     # 127.0.0.1:8501, $CX_SERVING_PATH
  python scripts/dashboards.py --host 0.0.0.0 --port 8600
  CX_DASHBOARD_PORT=8600 make dashboards

Headless (no browser is opened), with Streamlit's usage statistics off, and it reads only the
serving file that `make build` publishes (default data/serving.duckdb), opened read-only: a
build may run meanwhile, and the pages show the new version after its publish. A missing
serving file or Streamlit stops it with one line naming the fix.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402

HOST_VARIABLE, PORT_VARIABLE = "CX_DASHBOARD_HOST", "CX_DASHBOARD_PORT"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8501
SERVING_VARIABLE = "CX_SERVING_PATH"
APP = REPO / "dashboards" / "app.py"
port_number = cli.integer(1, 65535, example=DEFAULT_PORT)


def build_parser() -> argparse.ArgumentParser:
    parser = cli.Parser(prog="dashboards", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=None,
                        help=f"address to listen on (default: ${HOST_VARIABLE} or "
                             f"{DEFAULT_HOST}, this machine only)")
    parser.add_argument("--port", type=port_number, default=None,
                        help=f"port to listen on (default: ${PORT_VARIABLE} or {DEFAULT_PORT})")
    parser.add_argument("--serving", type=Path, default=None,
                        help=f"the serving file to read (default: ${SERVING_VARIABLE} or "
                             "data/serving.duckdb)")
    return parser


def streamlit_command(host: str, port: int) -> list[str]:
    """The Streamlit command line: headless, no usage statistics, no file watcher."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.address", host, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--global.developmentMode", "false",
            "--client.toolbarMode", "viewer", "--theme.base", "light"]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    host = args.host or os.environ.get(HOST_VARIABLE) or DEFAULT_HOST
    if not host.strip():
        return cli.fail("dashboards", "--host is empty: give an address such as 127.0.0.1")
    port = args.port
    if port is None:
        text = os.environ.get(PORT_VARIABLE)
        if text:
            try:
                port = port_number(text)
            except argparse.ArgumentTypeError as error:
                return cli.fail("dashboards", f"{PORT_VARIABLE}: {error}")
        else:
            port = DEFAULT_PORT
    serving = args.serving or (Path(os.environ[SERVING_VARIABLE])
                               if os.environ.get(SERVING_VARIABLE)
                               else REPO / "data" / "serving.duckdb")
    if not serving.is_file():
        return cli.fail("dashboards", f"--serving {serving}: no serving file there; run make "
                                      "build first (or make publish after a build)", 1)
    try:
        import plotly  # noqa: F401
        import streamlit  # noqa: F401
    except ImportError as error:
        return cli.fail("dashboards", f"{error.name} is not installed: run make dashboards "
                                      "(it installs the dashboards extra)", 1)
    environment = dict(os.environ, **{SERVING_VARIABLE: str(serving.resolve()),
                                      "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                                      "PYTHONPATH": os.pathsep.join(
                                          filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")]))})
    print(f"dashboards: http://{host}:{port} reading {serving}", flush=True)
    command = streamlit_command(host, port)
    os.execve(command[0], command, environment)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
