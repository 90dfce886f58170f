"""`scopekeeper service`: the systemd user unit and the launchd agent it writes, the commands that manage them
(systemctl and launchctl replaced by recording scripts on PATH), and the worker command the service runs."""
from __future__ import annotations

import configparser
import os
import plistlib
import shlex
import signal
import stat
import subprocess
from pathlib import Path

import pytest

from tests.worker.support import REPO
from tests.worker.support import command as scopekeeper

FAKE = """#!/bin/sh
echo "$(basename "$0") $*" >> "{log}"
case "$*" in *status*|*print*) echo "active (running)";; esac
exit ${{FAKE_EXIT:-0}}
"""


@pytest.fixture
def home(tmp_path: Path):
    """A home of her own, and systemctl/launchctl that only record what they were asked."""
    home, bin_dir, log = tmp_path / "home", tmp_path / "bin", tmp_path / "commands.log"
    home.mkdir()
    bin_dir.mkdir()
    for name in ("systemctl", "launchctl"):
        script = bin_dir / name
        script.write_text(FAKE.format(log=log))
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCOPEKEEPER_", "XDG_"))}
    env.update(HOME=str(home), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
    return home, env, log


def cli(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(scopekeeper(*args), cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def _unit_command(unit: Path) -> tuple[list[str], dict[str, str]]:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(unit)
    service = parser["Service"]
    env = dict(part.split("=", 1) for part in shlex.split(service["Environment"]))
    return shlex.split(service["ExecStart"]), env


def _runs_until_stopped(command: list[str], env: dict[str, str], cwd: str) -> str:
    """Start the service's command, wait for the worker's first scan, stop it as the service manager does."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    lines = []
    try:
        for line in process.stderr:
            lines.append(line)
            if '"scan_done"' in line:
                break
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, "".join(lines)
    return "".join(lines)


def test_install_writes_a_systemd_user_unit_enables_it_and_its_command_runs_the_worker(world, home):
    home_dir, env, log = home
    config = world.config(name="my config.toml")  # a space in the path, as on many laptops
    result = cli(env, "service", "install", "--config", str(config), "--platform", "linux")
    assert result.returncode == 0, result.stderr
    unit = home_dir / ".config/systemd/user/scopekeeper.service"
    assert f"Wrote {unit}" in result.stdout and "loginctl enable-linger" in result.stdout
    assert log.read_text().splitlines() == ["systemctl --user daemon-reload",
                                            "systemctl --user enable --now scopekeeper.service"]
    text = unit.read_text()
    assert "Restart=on-failure" in text and "WantedBy=default.target" in text
    assert f'EnvironmentFile=-{config.with_name("scopekeeper.env")}\n' in text
    assert f'Environment="SCOPEKEEPER_CONFIG={config}"\n' in text  # quoted whole: the path has a space

    command, unit_env = _unit_command(unit)
    assert command[-2:] == ["--config", str(config)] and Path(command[0]).is_absolute()
    assert unit_env == {"SCOPEKEEPER_CONFIG": str(config)}
    worker_env = {**world.env(), **unit_env, "SCOPEKEEPER_LOG_FORMAT": "json"}
    assert '"start"' in _runs_until_stopped(command, worker_env, str(config.parent))

    status = cli(env, "service", "status", "--platform", "linux")
    assert status.returncode == 0 and "active (running)" in status.stdout
    removed = cli(env, "service", "uninstall", "--platform", "linux")
    assert removed.returncode == 0 and not unit.exists()
    assert log.read_text().splitlines()[-3:] == ["systemctl --user status --no-pager scopekeeper.service",
                                                 "systemctl --user disable --now scopekeeper.service",
                                                 "systemctl --user daemon-reload"]
    assert cli(env, "service", "status", "--platform", "linux").returncode == 1


def test_install_writes_a_launchd_agent_bootstraps_it_and_its_program_runs_the_worker(world, home):
    home_dir, env, log = home
    config = world.config()
    result = cli(env, "service", "install", "--config", str(config), "--platform", "macos")
    assert result.returncode == 0, result.stderr
    agent = home_dir / "Library/LaunchAgents/com.scopekeeper.worker.plist"
    plist = plistlib.loads(agent.read_bytes())
    assert plist["Label"] == "com.scopekeeper.worker" and plist["RunAtLoad"] is True
    assert plist["KeepAlive"] == {"SuccessfulExit": False}
    assert plist["StandardErrorPath"] == str(home_dir / "Library/Logs/ScopeKeeper/scopekeeper.log")
    uid = os.getuid()
    assert log.read_text().splitlines() == [f"launchctl bootstrap gui/{uid} {agent}",
                                            f"launchctl enable gui/{uid}/com.scopekeeper.worker"]
    worker_env = {**world.env(), **plist["EnvironmentVariables"], "SCOPEKEEPER_LOG_FORMAT": "json"}
    assert '"start"' in _runs_until_stopped(plist["ProgramArguments"], worker_env, plist["WorkingDirectory"])
    assert cli(env, "service", "uninstall", "--platform", "macos").returncode == 0 and not agent.exists()
    assert log.read_text().splitlines()[-1] == f"launchctl bootout gui/{uid}/com.scopekeeper.worker"


def test_install_refuses_a_configuration_that_would_not_start_and_says_when_systemctl_fails(home, tmp_path):
    _, env, log = home
    bad = tmp_path / "bad.toml"
    bad.write_text("[scopekeeper]\nmode = \"sometimes\"\n")
    refused = cli(env, "service", "install", "--config", str(bad), "--platform", "linux")
    assert refused.returncode == 2 and "scopekeeper.mode" in refused.stderr and not log.exists()

    good = tmp_path / "sk.toml"
    good.write_text(Path(REPO / "config.example.toml").read_text())
    failing = cli({**env, "FAKE_EXIT": "1"}, "service", "install", "--config", str(good), "--platform", "linux")
    assert failing.returncode == 1 and "systemctl --user daemon-reload` failed" in failing.stderr
    assert "run this command again" in failing.stderr
