"""A fork server for `explainer` commands in tests (run by conftest's ``run_cli``).

Each command runs as its own process: forked from this server, which has imported
``explainer.cli`` once, then with the test's working folder, environment, argv and files for
standard input, output and error. Exit status, what is written to stderr, and the traceback
Python prints for an uncaught exception are the process's own, as with the console script;
what is saved is the interpreter's start and the CLI's imports (about 0.25 s of CPU a command).
A fresh interpreter (start-up imports) is what tests/cli/test_startup.py tests.

Protocol, one JSON line each way: {"argv", "cwd", "env", "stdin", "stdout", "stderr",
"timeout"} -> {"status": exit code or -signal, "timeout": bool}.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import time

# What the commands import in their bodies, once for all of them (no WeasyPrint, no pypdf:
# the commands that need those still import them themselves).
import explainer.build.topic
import explainer.document.config
import explainer.document.load
import explainer.document.todos
import explainer.document.yaml_hints
import explainer.guards.caveats
import explainer.guards.checks
import explainer.guards.claims
import explainer.guards.numbers
import explainer.render.keymessages
import explainer.sources.quotes
import explainer.sources.screening
import explainer.sources.timeliness  # noqa: F401
from explainer.cli import main  # the console script's entry point


def _run_child(request: dict) -> None:
    os.setpgrp()  # a timeout kills the command and anything it started
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, name, flags in ((0, "stdin", os.O_RDONLY),
                            (1, "stdout", os.O_WRONLY | os.O_TRUNC),
                            (2, "stderr", os.O_WRONLY | os.O_TRUNC)):
        target = os.open(request[name], flags)
        os.dup2(target, fd)
        os.close(target)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.argv = ["explainer", *request["argv"]]
    try:
        main()  # an uncaught exception ends this process as it ends any: traceback, exit 1
    except SystemExit as stop:
        code = stop.code
    else:
        code = 0
    if not isinstance(code, int):  # as Python does with sys.exit("message") or None
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    # A normal exit, less the module teardown: in this forked process the modules were
    # imported in another order than in `python -m explainer`, and tearing them down would
    # run WeasyPrint's font finalizers after their modules are gone.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(status), True
        time.sleep(0.002)


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _run_child(request)
        status, timed_out = _wait(pid, request["timeout"])
        sys.stdout.write(json.dumps({"status": status, "timeout": timed_out}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
