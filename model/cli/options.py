"""Options that several commands share: `--config-dir`, the user's own config folders (see model.config.locations)."""
from __future__ import annotations

import argparse
from pathlib import Path

CONFIG_DIR_HELP = ("a folder of your own configs, laid out like configs/ (DIR/scenarios/*.yaml, "
                   "DIR/experiments/*.yaml); repeatable; searched after the shipped configs and before the "
                   "folders in $WARGAME_CONFIG_PATH")


def add_config_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config-dir", dest="config_dirs", action="append", default=[], type=Path, metavar="DIR",
                        help=CONFIG_DIR_HELP)


def config_roots(args: argparse.Namespace) -> list[Path]:
    """The user's config folders: --config-dir, then $WARGAME_CONFIG_PATH (a UserError names a missing one)."""
    from model.config.locations import user_roots

    return user_roots(getattr(args, "config_dirs", ()))


def scenario_dirs(args: argparse.Namespace) -> list[Path]:
    """The user's scenario folders, where scenario names and `extends:` are looked up after the shipped ones."""
    from model.config.locations import SCENARIOS, user_dirs

    return user_dirs(SCENARIOS, config_roots(args))


def experiment_dirs(args: argparse.Namespace) -> list[Path]:
    """The user's experiment folders, where spec names are looked up after the shipped ones."""
    from model.config.locations import EXPERIMENTS, user_dirs

    return user_dirs(EXPERIMENTS, config_roots(args))
