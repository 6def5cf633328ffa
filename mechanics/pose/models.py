"""Offline pose model bundles: where they live, and ``mechanics models install``.

Analysis never downloads anything: :func:`model_path` only looks for a local bundle and
raises :class:`~mechanics.errors.ModelMissingError` naming the install command. Installing
fetches the pinned npm package ``@mediapipe/pose`` once with the ordinary ``npm`` client
(cached in ``<model dir>/cache/``), checks the sha256 of the archive and of every file read
from it against ``models/manifest.json``, builds the ``.task`` bundles
(:mod:`mechanics.pose.bundle`), checks their sha256 too and writes them atomically. If the
npm fetch fails, the full model can still be built from the ``mediapipe==0.10.21`` wheel
(same bytes). Facts: ../shared/docs/pose-model.md sections 2 and 7.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import mechanics
from mechanics.atomic import atomic_path, ensure_writable_dir
from mechanics.errors import MechanicsError, ModelMissingError

MODEL_NAMES: tuple[str, ...] = ("lite", "full", "heavy")
ENV_MODEL_DIR = "MECHANICS_MODEL_DIR"
INSTALL_COMMAND = "mechanics models install"
_REPO_MODELS = Path(mechanics.__file__).resolve().parents[1] / "models"
_CHUNK = 1 << 20

Echo = Callable[[str], None]


@dataclass(frozen=True)
class ModelStatus:
    """State of one installed bundle, as shown by ``mechanics models list``."""

    name: str
    path: Path
    installed: bool
    size: int | None
    sha256_ok: bool | None


def manifest_path() -> Path:
    """Path of ``models/manifest.json`` in the source checkout (the pins)."""
    return _REPO_MODELS / "manifest.json"


def load_manifest(path: str | Path | None = None) -> dict:
    """Read the model manifest.

    Raises
    ------
    MechanicsError
        If it is missing (e.g. a non-editable install) or not valid JSON.
    """
    path = Path(path) if path is not None else manifest_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MechanicsError("model manifest not found (installing models needs the "
                             "source checkout)", path) from None
    except (OSError, ValueError) as exc:
        raise MechanicsError(f"cannot read model manifest ({exc})", path) from None


def model_dir() -> Path:
    """Folder holding the ``.task`` bundles.

    ``$MECHANICS_MODEL_DIR`` if set; else the repository's ``models/`` folder when the
    package is an editable install (it holds ``manifest.json``); else
    ``~/.cache/mechanics/models``.
    """
    env = os.environ.get(ENV_MODEL_DIR)
    if env:
        return Path(env).expanduser()
    if manifest_path().is_file():
        return _REPO_MODELS
    return Path.home() / ".cache" / "mechanics" / "models"


def check_name(name: str) -> str:
    """Return ``name`` if it is a known model size, else raise MechanicsError."""
    if name not in MODEL_NAMES:
        raise MechanicsError(f"unknown pose model {name!r} (choose from "
                             f"{', '.join(MODEL_NAMES)})")
    return name


def bundle_filename(name: str) -> str:
    """File name of a bundle, e.g. ``pose_landmarker_full.task``."""
    return f"pose_landmarker_{check_name(name)}.task"


def model_path(name: str = "full", folder: str | Path | None = None) -> Path:
    """Path of an installed bundle; never downloads.

    Parameters
    ----------
    name : ``"lite"``, ``"full"`` or ``"heavy"``.
    folder : where to look (default :func:`model_dir`).

    Raises
    ------
    ModelMissingError
        If the bundle is absent; the one-line message names the file and the install command.
    MechanicsError
        If ``name`` is unknown.
    """
    path = Path(folder if folder is not None else model_dir()) / bundle_filename(name)
    if not path.is_file():
        raise ModelMissingError(f"pose model not installed; run `{INSTALL_COMMAND}`", path)
    return path


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_sha256(actual: str, expected: str, what: str | Path) -> None:
    """Raise a one-line MechanicsError naming ``what`` if the hashes differ."""
    if actual != expected:
        raise MechanicsError(f"sha256 mismatch: expected {expected}, got {actual}", what)


def model_status(folder: str | Path | None = None,
                 manifest: dict | None = None) -> list[ModelStatus]:
    """Installed / size / hash state of every bundle (hash check needs the manifest)."""
    folder = Path(folder if folder is not None else model_dir())
    if manifest is None and manifest_path().is_file():
        manifest = load_manifest()
    rows = []
    for name in MODEL_NAMES:
        path = folder / bundle_filename(name)
        if not path.is_file():
            rows.append(ModelStatus(name, path, False, None, None))
            continue
        ok = None if manifest is None else (
            sha256_file(path) == manifest["models"][name]["sha256"])
        rows.append(ModelStatus(name, path, True, path.stat().st_size, ok))
    return rows


def _fetch_argv(argv: list[str]) -> list[str]:
    """Resolve the manifest's fetch command (``npm ...`` or ``pip ...``) to a runnable argv."""
    if argv[0] == "pip":
        return [sys.executable, "-m", "pip", *argv[1:]]
    exe = shutil.which(argv[0])
    if exe is None:
        raise MechanicsError(f"{argv[0]} not found on PATH (needed once to fetch the pose "
                             f"models: {' '.join(argv)})")
    return [exe, *argv[1:]]


def _run_fetch(source: dict, argv: list[str], cwd: Path) -> None:
    """Run the resolved fetch ``argv`` in ``cwd`` (one-line MechanicsError on failure)."""
    shown = " ".join(source["fetch"])
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                              timeout=source.get("timeout_s", 600), check=False)
    except subprocess.TimeoutExpired:
        raise MechanicsError(f"`{shown}` timed out after {source.get('timeout_s', 600)} s"
                             ) from None
    except OSError as exc:
        raise MechanicsError(f"cannot run `{shown}` ({exc.strerror})") from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
        errors = [ln for ln in lines if "ERR" in ln or "rror" in ln] or lines or ["no output"]
        raise MechanicsError(f"`{shown}` failed (exit {proc.returncode}): {errors[-1]}")


def fetch_source(source: dict, cache: Path, echo: Echo = print) -> Path:
    """Return the verified source archive, fetching it into ``cache`` if needed.

    Raises
    ------
    MechanicsError
        If the fetch fails or the archive's sha256 differs from the manifest.
    """
    final = cache / source["file"]
    if final.is_file():
        actual = sha256_file(final)
        if actual == source["sha256"]:
            echo(f"using cached {final}")
            return final
        echo(f"cached {final.name} has sha256 {actual}, expected {source['sha256']}: "
             "fetching again")
        final.unlink()
    argv = _fetch_argv(source["fetch"])
    ensure_writable_dir(cache)
    size_mb = source.get("size", 0) / 1e6
    echo(f"fetching {source['package']}@{source['version']} ({size_mb:.0f} MB, "
         f"{source['license']}): {' '.join(source['fetch'])}")
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=cache) as tmp:
        _run_fetch(source, argv, Path(tmp))
        fetched = Path(tmp) / source["file"]
        if not fetched.is_file():
            raise MechanicsError(f"`{' '.join(source['fetch'])}` did not produce "
                                 f"{source['file']}")
        verify_sha256(sha256_file(fetched), source["sha256"], source["file"])
        os.replace(fetched, final)
    echo(f"verified {final.name} sha256 {source['sha256'][:12]}...")
    return final


def read_members(archive: Path, members: Iterable[str]) -> dict[str, bytes]:
    """Read regular-file members of a ``.tgz`` or ``.whl`` into memory (nothing is extracted).

    Raises
    ------
    MechanicsError
        If the archive is unreadable, or a member is missing or not a regular file.
    """
    wanted = set(members)
    found: dict[str, bytes] = {}
    try:
        if archive.suffix == ".tgz":
            with tarfile.open(archive, "r:gz") as tar:
                for info in tar:
                    if info.name in wanted and info.isfile():
                        found[info.name] = tar.extractfile(info).read()
        else:
            with zipfile.ZipFile(archive) as zf:
                names = set(zf.namelist())
                found = {m: zf.read(m) for m in wanted if m in names and not m.endswith("/")}
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        raise MechanicsError(f"cannot read archive ({exc})", archive) from None
    missing = sorted(wanted - set(found))
    if missing:
        raise MechanicsError(f"archive lacks {', '.join(missing)}", archive)
    return found


def _load_source_inputs(source: dict, members: set[str], cache: Path,
                        echo: Echo) -> dict[str, bytes]:
    """Fetch a source and return its verified input files (member -> bytes)."""
    archive = fetch_source(source, cache, echo)
    files = read_members(archive, members)
    for member, data in files.items():
        verify_sha256(hashlib.sha256(data).hexdigest(), source["inputs"][member]["sha256"],
                      f"{archive.name}:{member}")
    return files


def gather_inputs(names: list[str], manifest: dict, cache: Path,
                  echo: Echo = print) -> tuple[dict[str, tuple[bytes, bytes]], list[str]]:
    """Verified ``(detector, landmarks)`` bytes per model, trying sources in manifest order.

    Returns
    -------
    (inputs, errors)
        ``inputs[name]`` for every model some source could provide; ``errors`` holds one
        line per failed source (models missing from ``inputs`` could not be provided).
    """
    inputs: dict[str, tuple[bytes, bytes]] = {}
    errors: list[str] = []
    for key, source in manifest["sources"].items():
        todo = [n for n in names if n not in inputs and key in manifest["models"][n]["recipes"]]
        if not todo:
            continue
        recipes = {n: manifest["models"][n]["recipes"][key] for n in todo}
        members = {m for r in recipes.values() for m in (r["detector"], r["landmarks"])}
        try:
            files = _load_source_inputs(source, members, cache, echo)
        except MechanicsError as exc:
            errors.append(f"{key}: {exc}")
            echo(f"{key} source failed: {exc}")
            continue
        for n, recipe in recipes.items():
            inputs[n] = (files[recipe["detector"]], files[recipe["landmarks"]])
    return inputs, errors


def _is_current(path: Path, entry: dict) -> bool:
    """True if ``path`` exists with the manifest's size and sha256."""
    return (path.is_file() and path.stat().st_size == entry["size"]
            and sha256_file(path) == entry["sha256"])


def _build_and_write(name: str, detector: bytes, landmarks: bytes, entry: dict,
                     final: Path) -> None:
    """Build one bundle, check its sha256 against the manifest, write it atomically."""
    from mechanics.pose.bundle import build_bundle

    data = build_bundle(detector, landmarks)
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry["sha256"]:
        raise MechanicsError(f"built bundle sha256 mismatch: expected {entry['sha256']}, got "
                             f"{actual} (mediapipe or flatbuffers version differs from the "
                             "manifest's built_with?)", final)
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)


def install_models(names: Iterable[str] = MODEL_NAMES, dest: str | Path | None = None,
                   force: bool = False, echo: Echo = print,
                   manifest: dict | None = None) -> dict[str, Path]:
    """Fetch, verify, build and write the requested bundles (idempotent).

    Parameters
    ----------
    names : model sizes to install.
    dest : target folder (default :func:`model_dir`); the archive cache is ``dest/cache``.
    force : rebuild even when a bundle with the right sha256 is already there.
    echo : receives one progress line at a time.
    manifest : the pins (default :func:`load_manifest`).

    Returns
    -------
    dict
        ``name -> path`` of every requested bundle.

    Raises
    ------
    MechanicsError
        One line: a tool is missing, a fetch failed, or a hash does not match.
    """
    names = list(dict.fromkeys(check_name(n) for n in names))
    manifest = manifest if manifest is not None else load_manifest()
    dest = ensure_writable_dir(dest if dest is not None else model_dir())
    paths = {n: dest / manifest["models"][n]["file"] for n in names}
    todo = [n for n in names if force or not _is_current(paths[n], manifest["models"][n])]
    for n in names:
        if n not in todo:
            echo(f"{n}: up to date ({paths[n]})")
    if not todo:
        return paths
    inputs, errors = gather_inputs(todo, manifest, dest / "cache", echo)
    for n in todo:
        if n in inputs:
            echo(f"{n}: building {paths[n].name}")
            _build_and_write(n, *inputs[n], manifest["models"][n], paths[n])
            echo(f"{n}: ok sha256 {manifest['models'][n]['sha256'][:12]}... -> {paths[n]}")
    failed = [n for n in todo if n not in inputs]
    if failed:
        raise MechanicsError(f"could not install {', '.join(failed)}: {'; '.join(errors)}")
    return paths
