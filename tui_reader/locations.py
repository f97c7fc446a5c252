"""Where the state file and the config file live.

The state file: ``--db PATH`` > ``$DIGEST_READER_DB`` > ``state.json`` in the platform's
user data folder. The config file: ``$DIGEST_READER_CONFIG`` > ``config.toml`` in the
platform's user config folder. Nothing is created here; writers create folders when
they first write.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "digest-reader"
STATE_ENV = "DIGEST_READER_DB"
CONFIG_ENV = "DIGEST_READER_CONFIG"


def state_path(db_option: str | os.PathLike[str] | None = None) -> Path:
    if db_option:
        return Path(db_option).expanduser()
    from_env = os.environ.get(STATE_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "state.json"


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def sample_digest_path() -> Path:
    """The digest bundled with the package, opened when nothing else is configured."""
    return Path(__file__).parent / "data" / "sample-2025-01-03.md"
