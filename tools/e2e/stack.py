"""Starts the fake upstream and `proxy serve` for Python end-to-end scripts, and stops them.

    with TestStack(fmt="openai", proxy_bin=path, scratch=dir) as stack:
        stack.base_url   # the proxy's URL (or the fake upstream's, when proxy_bin is None)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import traceback
import urllib.request

from models_yaml import models_yaml

HERE = os.path.dirname(os.path.abspath(__file__))
UPSTREAM_MODEL = "fake-e2e-model"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestStack:
    def __init__(self, fmt: str, proxy_bin: str | None, scratch: str, route_glob: str = "claude-*",
                 record_dir: str | None = None):
        # One entry, "e2e-fake", serving every model name the glob matches; `record_dir`: the proxy
        # records there (`--record`).
        self.fmt = fmt
        self.record_dir = record_dir
        self.proxy_bin = proxy_bin
        self.scratch = scratch
        self.route_glob = route_glob
        self.workdir = os.path.join(scratch, "work")
        self.processes: list[subprocess.Popen] = []
        self.base_url = ""
        self.upstream_port = 0

    def __enter__(self) -> "TestStack":
        os.makedirs(self.workdir, exist_ok=True)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _start(self) -> None:
        port_file = os.path.join(self.scratch, "upstream.port")
        self._spawn(
            [sys.executable, os.path.join(HERE, "fake_upstream.py"), "--format", self.fmt, "--workdir", self.workdir,
             "--port-file", port_file, "--log", self.path("upstream.log"), "--dump-dir", self.path("requests")],
            "upstream.out",
        )
        self.upstream_port = int(self._wait_for_file(port_file, 60))
        if self.proxy_bin is None:
            self.base_url = f"http://127.0.0.1:{self.upstream_port}"
            return
        api_base = f"http://127.0.0.1:{self.upstream_port}" + ("/v1" if self.fmt == "openai" else "")
        with open(self.path("models.yaml"), "w", encoding="utf-8") as handle:
            handle.write(
                models_yaml([("e2e-fake", self.fmt, api_base, UPSTREAM_MODEL, "sk-upstream-e2e", [self.route_glob])])
            )
        port = free_port()
        record = ["--record", self.record_dir] if self.record_dir else []
        proxy = self._spawn(
            [self.proxy_bin, "serve", "--host", "127.0.0.1", "--port", str(port), "--config", self.path("models.yaml"),
             *record],
            "proxy.log",
        )
        self._wait_for_health(port, proxy, 60)
        self.base_url = f"http://127.0.0.1:{port}"

    def path(self, name: str) -> str:
        return os.path.join(self.scratch, name)

    def _spawn(self, argv: list[str], log_name: str) -> subprocess.Popen:
        log = open(self.path(log_name), "wb")
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self.processes.append(process)
        return process

    def _wait_for_file(self, path: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if os.path.exists(path) and os.path.getsize(path) > 0:
                with open(path, encoding="utf-8") as handle:
                    return handle.read().strip()
            time.sleep(0.05)
        raise RuntimeError(f"{path} did not appear within {seconds} s")

    def _wait_for_health(self, port: int, process: subprocess.Popen, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the proxy exited with status {process.returncode}; see {self.path('proxy.log')}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the proxy was not healthy within {seconds} s")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()

    def logs(self, tail: int = 40) -> str:
        out = []
        for name in ("proxy.log", "models.yaml", "upstream.log", "upstream.out"):
            try:
                with open(self.path(name), encoding="utf-8", errors="replace") as handle:
                    lines = handle.read().splitlines()[-tail:]
            except OSError:
                continue
            if lines:
                out.append(f"----- {name} -----")
                out.extend(lines)
        return "\n".join(out)


class SkipCheck(Exception):
    """A check that cannot run in this setup; reported as SKIP with its reason, never silently."""


def run_checks(checks, name, stack) -> tuple[int, int, int]:
    """Runs each check in turn, printing PASS, FAIL (with the error) or SKIP under `name(check)`; a
    failure does not stop the next check. Prints the stack's logs when any failed. Returns
    (passed, failed, skipped)."""
    passed = failed = skipped = 0
    for check in checks:
        label = name(check)
        try:
            check()
        except SkipCheck as why:
            skipped += 1
            print(f"SKIP {label}: {why}")
            continue
        except Exception as error:  # noqa: BLE001 -- every failure is reported, then the next check runs
            failed += 1
            print(f"FAIL {label}: {type(error).__name__}: {error}")
            if not isinstance(error, AssertionError):
                traceback.print_exc(limit=3)
            continue
        passed += 1
        print(f"PASS {label}")
    if failed:
        print(stack.logs())
    return passed, failed, skipped
