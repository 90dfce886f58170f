"""`scopekeeper service install|status|uninstall`: keep ScopeKeeper running for her, as a per-user service
(a systemd user unit on Linux, a launchd agent on macOS), pointed at her configuration."""
from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from scheduler.cli.common import DEFAULT_CONFIG, EXIT_FAILED, fail, load

UNIT = "scopekeeper.service"
LABEL = "com.scopekeeper.worker"
Runner = Callable[[Sequence[str]], tuple[int, str]]


def run_command(command: Sequence[str]) -> tuple[int, str]:
    """systemctl or launchctl, for real: exit status and what it printed."""
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        return 127, f"{command[0]} is not installed on this computer"
    except subprocess.TimeoutExpired:
        return 124, f"{command[0]} did not answer within 60 s"
    return done.returncode, (done.stdout + done.stderr).strip()


def worker_command(config: Path) -> list[str]:
    """What the service runs: this Python, this ScopeKeeper, her configuration (absolute paths: a service
    starts with no shell, no PATH of hers and no working directory)."""
    return [sys.executable, "-m", "scheduler", "run", "--config", str(config)]


def systemd_unit(config: Path) -> str:
    """A systemd user unit: starts at login (or boot, with lingering), restarts after a failure."""
    command = " ".join(_quoted(part) for part in worker_command(config))
    env_file = config.with_name("scopekeeper.env")
    return "\n".join([
        "# Written by `scopekeeper service install`; `scopekeeper service uninstall` removes it.",
        "[Unit]",
        "Description=ScopeKeeper: checks your clients' boards against their contracts",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        f"WorkingDirectory={config.parent}",  # a path setting: taken whole, spaces included
        f"Environment={_quoted(f'SCOPEKEEPER_CONFIG={config}')}",
        # Secrets: the OS keyring, or this file (KEY=value lines, readable by her only); '-' = optional.
        f"EnvironmentFile=-{env_file}",
        f"ExecStart={command}",
        "KillSignal=SIGTERM",
        "TimeoutStopSec=120",
        "Restart=on-failure",
        "RestartSec=30",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ])


def launchd_plist(config: Path, home: Path) -> bytes:
    """A launchd agent: starts at login, restarted by launchd if it stops on an error; logs in ~/Library/Logs."""
    logs = home / "Library" / "Logs" / "ScopeKeeper"
    return plistlib.dumps({
        "Label": LABEL,
        "ProgramArguments": worker_command(config),
        "WorkingDirectory": str(config.parent),
        "EnvironmentVariables": {"SCOPEKEEPER_CONFIG": str(config), "PYTHONUNBUFFERED": "1"},
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": 30,
        "StandardOutPath": str(logs / "scopekeeper.log"),
        "StandardErrorPath": str(logs / "scopekeeper.log"),
    })


class Platform:
    """Where the service file goes and which commands manage it."""

    def __init__(self, name: str, home: Path) -> None:
        self.name, self.home = name, home

    @property
    def path(self) -> Path:
        if self.name == "macos":
            return self.home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        base = Path(os.environ.get("XDG_CONFIG_HOME") or self.home / ".config")
        return base / "systemd" / "user" / UNIT

    def content(self, config: Path) -> bytes:
        return launchd_plist(config, self.home) if self.name == "macos" else systemd_unit(config).encode()

    def start(self) -> list[list[str]]:
        if self.name == "macos":
            return [["launchctl", "bootstrap", _domain(), str(self.path)],
                    ["launchctl", "enable", f"{_domain()}/{LABEL}"]]
        return [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", UNIT]]

    def status(self) -> list[str]:
        if self.name == "macos":
            return ["launchctl", "print", f"{_domain()}/{LABEL}"]
        return ["systemctl", "--user", "status", "--no-pager", UNIT]

    def stop(self) -> list[list[str]]:
        if self.name == "macos":
            return [["launchctl", "bootout", f"{_domain()}/{LABEL}"]]
        return [["systemctl", "--user", "disable", "--now", UNIT]]

    def after_removal(self) -> list[list[str]]:
        return [] if self.name == "macos" else [["systemctl", "--user", "daemon-reload"]]

    def logs_hint(self) -> str:
        if self.name == "macos":
            return f"its messages go to {self.home / 'Library/Logs/ScopeKeeper/scopekeeper.log'}"
        return "its messages: journalctl --user -u scopekeeper -f"


def _domain() -> str:
    return f"gui/{os.getuid()}"


def _quoted(text: str) -> str:
    """systemd's quoting: a value with spaces in double quotes, backslashes and quotes escaped."""
    if text and not any(c in text for c in ' "\\\'$%;'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$") + '"'


def _platform(name: str | None) -> Platform:
    chosen = name or ("macos" if sys.platform == "darwin" else "linux")
    return Platform(chosen, Path(os.environ.get("HOME") or Path.home()))


def _run_all(runner: Runner, commands: list[list[str]]) -> tuple[int, str]:
    for command in commands:
        code, output = runner(command)
        if code != 0:
            return code, f"`{' '.join(command)}` failed: {output or f'exit status {code}'}"
    return 0, ""


@click.group()
def service() -> None:
    """Keep ScopeKeeper running by itself: it starts when you log in and restarts after a problem.

    \b
    Examples:
      scopekeeper service install --config ~/scopekeeper/scopekeeper.toml
      scopekeeper service status
      scopekeeper service uninstall
    """


_platform_option = click.option("--platform", type=click.Choice(["linux", "macos"]), hidden=True,
                                help="Write the other system's service (for tests and for the curious).")


@service.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="SCOPEKEEPER_CONFIG",
              default=DEFAULT_CONFIG, show_default=True, help="Your configuration file.")
@_platform_option
@click.pass_obj
def install(runner: Runner | None, config_path: str, platform: str | None) -> None:
    """Install and start ScopeKeeper as a service of your user, with this configuration.

    \b
    Example:
      scopekeeper service install --config ~/scopekeeper/scopekeeper.toml
    """
    config = Path(config_path).expanduser().resolve()
    load(str(config))  # a service that could not start would only fail quietly: check first
    target = _platform(platform)
    target.path.parent.mkdir(parents=True, exist_ok=True)
    target.path.write_bytes(target.content(config))
    click.echo(f"Wrote {target.path}")
    code, problem = _run_all(runner or run_command, target.start())
    if code:
        raise fail(f"{problem}\nThe service file is written; once that is fixed, run this command again.",
                   EXIT_FAILED)
    click.echo("ScopeKeeper now runs by itself: it starts when you log in and restarts after a problem.")
    click.echo(f"It uses {config}; after you edit it, ScopeKeeper picks the change up at its next check.")
    click.echo(target.logs_hint())
    if target.name == "linux":
        click.echo("To keep it running while you are logged out: loginctl enable-linger $USER")


@service.command()
@_platform_option
@click.pass_obj
def status(runner: Runner | None, platform: str | None) -> None:
    """Is ScopeKeeper running as a service?

    \b
    Example:
      scopekeeper service status
    """
    target = _platform(platform)
    if not target.path.exists():
        click.echo("ScopeKeeper is not installed as a service (scopekeeper service install sets it up).")
        raise click.exceptions.Exit(EXIT_FAILED)
    code, output = (runner or run_command)(target.status())
    click.echo(output)
    click.echo(f"Service file: {target.path}")
    if code:
        raise click.exceptions.Exit(EXIT_FAILED)


@service.command()
@_platform_option
@click.pass_obj
def uninstall(runner: Runner | None, platform: str | None) -> None:
    """Stop the service and remove it (your configuration and data stay).

    \b
    Example:
      scopekeeper service uninstall
    """
    target = _platform(platform)
    if not target.path.exists():
        click.echo("ScopeKeeper is not installed as a service: nothing to remove.")
        return
    runner = runner or run_command
    code, problem = _run_all(runner, target.stop())
    if code:
        click.echo(f"warning: {problem}", err=True)
    target.path.unlink()
    _run_all(runner, target.after_removal())
    click.echo(f"Removed {target.path}; ScopeKeeper no longer starts by itself. Your configuration and data stay.")


commands = [service]
