"""Command line: ``mechanics COMMAND ...``. Thin: parses arguments and calls the library.

Each command lives in its own module here and is registered below. Errors the user can act
on (:class:`mechanics.errors.MechanicsError`) are printed as one line with a non-zero exit;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from mechanics.errors import MechanicsError

#: command name -> "module:function" (imported only when the command runs, so --help is fast)
COMMANDS = {
    "analyze": "mechanics.cli.analyze:analyze",
    "track": "mechanics.cli.track:track",
    "models": "mechanics.cli.models:models",
    "synth": "mechanics.cli.synth:synth",
    "demo": "mechanics.cli.demo:demo",
    "compare": "mechanics.cli.compare:compare",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="mechanics")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Running mechanics from a phone video, offline, on a laptop CPU.

    \b
    Examples:
      mechanics models install            # once: build the offline pose models
      mechanics track clip.mp4 --out out/ # landmarks.csv + overlay.mp4
      mechanics synth --out runner.mp4    # a synthetic runner with exact ground truth
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``mechanics`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    if debug:
        os.environ["MECHANICS_DEBUG"] = "1"  # also let MediaPipe's own log lines through
    try:
        cli.main(args=argv, standalone_mode=False, prog_name="mechanics")
    except MechanicsError as exc:
        if debug:
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last resort: one line, no traceback
        if debug:
            raise
        click.echo(f"error: unexpected {type(exc).__name__}: {exc} (rerun with --debug)",
                   err=True)
        sys.exit(2)
