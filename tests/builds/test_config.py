"""The plugin's configuration schema (no build)."""

from __future__ import annotations

import os

import pytest

from reckon.plugin import ReckonPlugin


def test_defaults() -> None:
    plugin = ReckonPlugin()
    errors, warnings = plugin.load_config({})
    assert errors == [] and warnings == []
    assert plugin.config.enabled is True
    assert plugin.config.timeout == 30
    assert plugin.config.cache is True
    assert plugin.config.cache_dir == ".cache/plugin/reckon"
    assert plugin.config.concurrency == (os.cpu_count() or 1)
    assert plugin.config.verification_note is True
    assert plugin.config.working_dir == "page"
    assert plugin.config.serve_wait == 1


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"enabled": "yes"}, "enabled"),
        ({"timeout": "slow"}, "timeout"),
        ({"concurrency": 1.5}, "concurrency"),
        ({"cache_dir": 3}, "cache_dir"),
        ({"working_dir": "docs"}, "working_dir"),
        ({"serve_wait": "soon"}, "serve_wait"),
    ],
)
def test_wrong_types_are_configuration_errors(options: dict[str, object], name: str) -> None:
    errors, _warnings = ReckonPlugin().load_config(options)
    assert [error_name for error_name, _error in errors] == [name]


def test_an_unknown_option_is_a_warning() -> None:
    _errors, warnings = ReckonPlugin().load_config({"timeuot": 3})
    assert [name for name, _warning in warnings] == ["timeuot"]
