"""The `wargame` command: one entry point, a subcommand per job, errors as one clear line with exit code 2."""
from __future__ import annotations

import argparse
import gc
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from model.cli import (
    alliances,
    bargain,
    batch,
    forecast,
    fork,
    futures,
    review,
    run,
    schema,
    sensitivity,
    serve,
    validate,
)
from model.config.errors import UserError

# One module per subcommand, in the order `wargame --help` lists them. Each imports only argparse-level code at
# the top, so building the parser is quick; the heavy imports are inside its run().
COMMANDS = (run, validate, schema, alliances, bargain, batch, sensitivity, fork, futures, review, forecast, serve)
# Commands that never load numpy; every other one gets one BLAS thread before it starts (see one_blas_thread).
NO_NUMPY = (validate, schema)


class OneLineParser(argparse.ArgumentParser):
    """argparse with its errors as one line on stderr and exit code 2, like every other bad value."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="wargame",
        description="Syria 2025 strategic wargame: run scenarios, analyse alliances and bargaining, "
                    "run batch experiments and serve the web UI.",
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in COMMANDS:
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show full tracebacks on errors")
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run, _numpy=mod not in NO_NUMPY)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; argv=None (the real command line) also skips the interpreter's final garbage collection,
    which walks every object of numpy, pandas, scipy and Mesa (~0.2 s) to free memory the process gives back
    anyway. Calls with an explicit argv (tests, scripts) keep the collector as it was."""
    code = _main(argv)
    if argv is None:
        gc.freeze()    # atexit handlers and module clean-up still run; files are closed by the commands themselves
    return code


def _main(argv: Sequence[str] | None) -> int:
    try:        # a Ctrl-C while the parser is built (the first ~0.4 s of `make run`) is an interruption too
        parser = build_parser()
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        if args._numpy:
            from model.experiments.executors import one_blas_thread

            one_blas_thread()
        return int(args._run(args) or 0)
    except UserError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
