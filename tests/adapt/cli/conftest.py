import json
from pathlib import Path

import pytest
from click.testing import CliRunner


class Adapt:
    """Runs `adapt` in-process against a database in tmp_path, like a user at a shell."""

    def __init__(self, db: Path) -> None:
        from adapt.cli import _register

        self.cli = _register()
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, expect: int | None = 0):
        result = self.runner.invoke(self.cli, ["--db", str(self.db), *map(str, args)],
                                    env={"ADAPT_USER": "tester"}, catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, (result.output, result.stderr if hasattr(result, "stderr") else "")
        return result

    def json(self, *args: str, expect: int = 0):
        return json.loads(self(*args, "--json", expect=expect).stdout)


@pytest.fixture
def adapt(tmp_path):
    return Adapt(tmp_path / "cli.db")
