"""``mechanics models``: install and list the offline pose model bundles."""

from __future__ import annotations

import click

from mechanics.pose.models import MODEL_NAMES


@click.group()
def models() -> None:
    """Offline MediaPipe pose models (lite, full, heavy).

    \b
    Examples:
      mechanics models install                 # all three; a second run is a quick no-op
      mechanics models install --model full    # just the full model
      mechanics models install --force         # rebuild even if the hashes match
      mechanics models list                    # what is installed, and is it intact

    Bundles go to $MECHANICS_MODEL_DIR, else the checkout's models/ folder (editable
    install), else ~/.cache/mechanics/models. Installing runs `npm pack` once (pinned
    version, sha256-checked, cached in models/cache/); analysis never downloads anything.
    """


@models.command()
@click.option("--model", "names", multiple=True, type=click.Choice(MODEL_NAMES),
              help="Model size to install (repeatable). Default: all.")
@click.option("--force", is_flag=True, help="Rebuild even when the installed bundle is intact.")
@click.option("--dest", type=click.Path(file_okay=False), default=None,
              help="Target folder (default: see `mechanics models --help`).")
def install(names: tuple[str, ...], force: bool, dest: str | None) -> None:
    """Fetch, verify and build the PoseLandmarker .task bundles.

    \b
    Examples:
      mechanics models install
      mechanics models install --model lite --model full
      MECHANICS_MODEL_DIR=/data/models mechanics models install --force
    """
    from mechanics.pose.models import install_models

    paths = install_models(names or MODEL_NAMES, dest=dest, force=force, echo=click.echo)
    click.echo(f"{len(paths)} pose model(s) ready in {next(iter(paths.values())).parent}")


@models.command(name="list")
@click.option("--dest", type=click.Path(file_okay=False), default=None,
              help="Folder to inspect (default: see `mechanics models --help`).")
def list_models(dest: str | None) -> None:
    """Show each bundle: name, path, installed, size and whether its sha256 matches.

    \b
    Example:
      mechanics models list
    """
    from mechanics.pose.models import model_status

    click.echo(f"{'name':<6} {'installed':<9} {'size':>9} {'sha256':<8} path")
    for row in model_status(dest):
        size = f"{row.size / 1e6:.1f} MB" if row.size is not None else "-"
        ok = {True: "ok", False: "MISMATCH", None: "-"}[row.sha256_ok]
        click.echo(f"{row.name:<6} {'yes' if row.installed else 'no':<9} {size:>9} "
                   f"{ok:<8} {row.path}")
