"""Subcommands of the `wargame` CLI, one module each.

Each module defines NAME, HELP, ``add_arguments(parser)`` and ``run(args) -> int``; `model.cli` lists them.
"""
