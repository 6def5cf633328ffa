"""Model location, the missing-model error, and install_models' checks (no network).

``install_models`` runs against a fake manifest whose source archive is already in the
cache (so nothing is fetched) or whose fetch command is ``false`` (fails at once).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechanics.cli.models import models as models_cli
from mechanics.errors import MechanicsError, ModelMissingError
from mechanics.pose import bundle
from mechanics.pose import models as pm

BUILT = b"a fake .task bundle"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_tgz(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A manifest for the lite model only, its archive cached under tmp_path/cache."""
    files = {"package/det.tflite": b"detector", "package/lite.tflite": b"landmarks"}
    tgz = make_tgz(files)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "src.tgz").write_bytes(tgz)
    source = {"package": "fake", "version": "1", "license": "MIT", "fetch": ["false"],
              "file": "src.tgz", "size": len(tgz), "sha256": sha(tgz),
              "inputs": {k: {"size": len(v), "sha256": sha(v)} for k, v in files.items()}}
    model = {"file": "pose_landmarker_lite.task", "size": len(BUILT), "sha256": sha(BUILT),
             "recipes": {"npm": {"detector": "package/det.tflite",
                                 "landmarks": "package/lite.tflite"}}}
    calls = []
    monkeypatch.setattr(bundle, "build_bundle", lambda d, lm: calls.append((d, lm)) or BUILT)
    return {"manifest": {"sources": {"npm": source}, "models": {"lite": model}},
            "dest": tmp_path, "calls": calls}


def install(fake: dict, **kw) -> tuple[dict, list[str]]:
    lines: list[str] = []
    paths = pm.install_models(["lite"], dest=fake["dest"], echo=lines.append,
                             manifest=fake["manifest"], **kw)
    return paths, lines


def test_model_path_missing_names_file_and_install_command(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as err:
        pm.model_path("full", tmp_path)
    message = str(err.value)
    assert "\n" not in message
    assert "pose_landmarker_full.task" in message
    assert "mechanics models install" in message


def test_model_path_found_and_unknown_name(tmp_path: Path) -> None:
    (tmp_path / "pose_landmarker_lite.task").write_bytes(b"x")
    assert pm.model_path("lite", tmp_path) == tmp_path / "pose_landmarker_lite.task"
    with pytest.raises(MechanicsError, match="unknown pose model 'medium'") as err:
        pm.model_path("medium", tmp_path)
    assert not isinstance(err.value, ModelMissingError)


def test_model_dir_env_then_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pm.ENV_MODEL_DIR, str(tmp_path))
    assert pm.model_dir() == tmp_path
    monkeypatch.delenv(pm.ENV_MODEL_DIR)
    assert pm.model_dir() == pm.manifest_path().parent  # this checkout is an editable install


def test_checked_in_manifest_pins_every_model() -> None:
    manifest = json.loads(pm.manifest_path().read_text())
    assert set(manifest["models"]) == set(pm.MODEL_NAMES)
    for entry in manifest["models"].values():
        assert len(entry["sha256"]) == 64 and entry["size"] > 1_000_000
        for key, recipe in entry["recipes"].items():
            inputs = manifest["sources"][key]["inputs"]
            assert recipe["detector"] in inputs and recipe["landmarks"] in inputs


def test_verify_sha256_mismatch_names_both_hashes() -> None:
    with pytest.raises(MechanicsError, match="expected aaa, got bbb") as err:
        pm.verify_sha256("bbb", "aaa", "model.tflite")
    assert str(err.value).startswith("model.tflite: ")


def test_install_builds_verifies_and_is_idempotent(fake: dict) -> None:
    paths, _ = install(fake)
    path = paths["lite"]
    assert path.read_bytes() == BUILT
    assert fake["calls"] == [(b"detector", b"landmarks")]
    _, lines = install(fake)
    assert lines == [f"lite: up to date ({path})"]
    assert len(fake["calls"]) == 1
    install(fake, force=True)
    assert len(fake["calls"]) == 2


def test_install_input_hash_mismatch_raises(fake: dict) -> None:
    fake["manifest"]["sources"]["npm"]["inputs"]["package/lite.tflite"]["sha256"] = "0" * 64
    with pytest.raises(MechanicsError, match=r"src.tgz:package/lite.tflite: sha256 mismatch"):
        install(fake)
    assert not (fake["dest"] / "pose_landmarker_lite.task").exists()


def test_install_output_hash_mismatch_writes_nothing(fake: dict) -> None:
    fake["manifest"]["models"]["lite"]["sha256"] = "f" * 64
    with pytest.raises(MechanicsError, match="built bundle sha256 mismatch") as err:
        install(fake)
    assert "f" * 64 in str(err.value) and sha(BUILT) in str(err.value)
    assert list(fake["dest"].glob("*.task")) == []
    assert list(fake["dest"].glob(".*")) == []


def test_bad_cached_archive_is_refetched_and_fetch_failure_reported(fake: dict) -> None:
    (fake["dest"] / "cache" / "src.tgz").write_bytes(b"corrupt")
    with pytest.raises(MechanicsError, match=r"could not install lite: npm: `false` failed"):
        install(fake)
    assert not (fake["dest"] / "cache" / "src.tgz").exists()


def test_missing_fetch_tool_is_one_line(fake: dict) -> None:
    (fake["dest"] / "cache" / "src.tgz").unlink()
    fake["manifest"]["sources"]["npm"]["fetch"] = ["no-such-tool-xyz", "pack"]
    with pytest.raises(MechanicsError, match="no-such-tool-xyz not found on PATH") as err:
        install(fake)
    assert "\n" not in str(err.value)


def test_read_members_rejects_missing_member(tmp_path: Path) -> None:
    archive = tmp_path / "a.tgz"
    archive.write_bytes(make_tgz({"package/x": b"1"}))
    assert pm.read_members(archive, ["package/x"]) == {"package/x": b"1"}
    with pytest.raises(MechanicsError, match="archive lacks package/y"):
        pm.read_members(archive, ["package/x", "package/y"])


def test_cli_help_and_list(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(models_cli, ["--help"])
    assert result.exit_code == 0 and "mechanics models install" in result.output
    assert "--force" in runner.invoke(models_cli, ["install", "--help"]).output
    (tmp_path / "pose_landmarker_full.task").write_bytes(b"not the real bundle")
    result = runner.invoke(models_cli, ["list", "--dest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()[1:]}
    assert rows["lite"][1] == "no" and rows["full"][1] == "yes"
    assert rows["full"][4] == "MISMATCH"
