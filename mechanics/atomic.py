"""Atomic output files: write to a temporary name in the same folder, then rename.

No half-written report, CSV or video ever exists under its final name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(final: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it to ``final`` on success.

    The temporary file keeps ``final``'s suffix (so writers that pick a format from the
    extension, such as OpenCV's VideoWriter, still work). On any exception the temporary
    file is removed and ``final`` is left untouched.
    """
    final = Path(final)
    tmp_path = temp_sibling(final)
    try:
        yield tmp_path
        os.replace(tmp_path, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def temp_sibling(final: str | Path) -> Path:
    """Create an empty, uniquely named temporary file beside ``final`` (same suffix)."""
    final = Path(final)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=f".part{final.suffix}",
                               dir=final.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; final files get normal permissions
    return Path(tmp)


def write_text_atomic(final: str | Path, text: str) -> None:
    """Write ``text`` to ``final`` atomically (UTF-8)."""
    with atomic_path(final) as tmp:
        tmp.write_text(text, encoding="utf-8")


def ensure_writable_dir(path: str | Path) -> Path:
    """Create ``path`` if needed and check it is a writable folder.

    Raises
    ------
    MechanicsError
        If the folder cannot be created or written to.
    """
    from mechanics.errors import MechanicsError

    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MechanicsError(f"cannot create output folder ({exc.strerror})", path) from None
    if not path.is_dir():
        raise MechanicsError("output path exists and is not a folder", path)
    if not os.access(path, os.W_OK | os.X_OK):
        raise MechanicsError("output folder is not writable", path)
    return path
