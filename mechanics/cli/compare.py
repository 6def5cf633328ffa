"""``mechanics compare A B --out compare.pdf``: two analyses side by side."""

from __future__ import annotations

from pathlib import Path

import click

#: differences listed on the terminal (all are in the PDF)
MAX_LINES = 12


@click.command()
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("compare.pdf"), show_default=True, help="PDF to write.")
def compare(a: Path, b: Path, out: Path) -> None:
    """Compare two analyses: every metric of A and B side by side, differences that exceed
    the measurement error highlighted.

    A and B are metrics.json files or the output folders of `mechanics analyze`. A
    difference is highlighted when |B - A| exceeds sqrt(eA^2 + eB^2), e being the
    pipeline's measurement error for that metric at each clip's frame rate (see the PDF).

    \b
    Examples:
      mechanics compare out/monday out/friday --out change.pdf
      mechanics compare before/metrics.json after/metrics.json
    """
    from mechanics.atomic import ensure_writable_dir
    from mechanics.report.compare import write_compare

    ensure_writable_dir(out.parent if str(out.parent) else Path("."))
    path, _, lines = write_compare(a, b, out)
    if lines:
        click.echo("differences beyond the measurement error (B vs A):")
        for line in lines[:MAX_LINES]:
            click.echo(f"  {line}")
        if len(lines) > MAX_LINES:
            click.echo(f"  ... and {len(lines) - MAX_LINES} more (see the PDF)")
    else:
        click.echo("no difference beyond the measurement error")
    click.echo(f"compare: {path}")
