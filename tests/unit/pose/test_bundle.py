"""The .task builder: stored zip, 64-byte alignment, metadata read-back, determinism.

Most tests use a tiny synthetic TFLite flatbuffer (no weights, no operators), so they run
in milliseconds without the real models; two tests use the installed bundles and skip
when ``mechanics models install`` has not been run.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile

import numpy as np
import pytest

from mechanics.errors import ModelMissingError
from mechanics.pose import bundle
from mechanics.pose.models import model_path


def tiny_tflite(n_outputs: int, payload: int = 0) -> bytes:
    """A minimal valid TFLite model: one float32 image input, ``n_outputs`` outputs."""
    import flatbuffers
    from mediapipe.tasks.metadata import schema_py_generated as fb

    def tensor(name: str, shape: list[int]) -> fb.TensorT:
        t = fb.TensorT()
        t.name, t.shape, t.type, t.buffer = name, shape, fb.TensorType.FLOAT32, 0
        return t

    data = fb.BufferT()
    data.data = list(range(payload % 256)) * (payload // 256 + 1)
    graph = fb.SubGraphT()
    graph.tensors = [tensor("input_1", [1, 8, 8, 3])] + [
        tensor(f"Identity_{i}" if i else "Identity", [1, 4]) for i in range(n_outputs)]
    graph.inputs, graph.outputs = [0], list(range(1, n_outputs + 1))
    graph.operators = []
    model = fb.ModelT()
    model.version, model.subgraphs, model.buffers = 3, [graph], [fb.BufferT(), data]
    builder = flatbuffers.Builder(0)
    builder.Finish(model.Pack(builder), b"TFL3")
    return bytes(builder.Output())


@pytest.fixture(scope="module")
def built() -> bytes:
    """A bundle built from synthetic models with the real specs' output counts."""
    return bundle.build_bundle(tiny_tflite(2), tiny_tflite(5))


def entries(task: bytes) -> dict[str, bytes]:
    """Name -> data of every zip entry."""
    with zipfile.ZipFile(io.BytesIO(task)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_bundle_is_stored_zip_with_the_two_entries(built: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(built)) as zf:
        infos = zf.infolist()
        assert zf.testzip() is None
    assert [i.filename for i in infos] == [bundle.DETECTOR_ENTRY, bundle.LANDMARKS_ENTRY]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
    assert all(i.date_time == bundle.ZIP_DATE_TIME for i in infos)


@pytest.mark.parametrize("first_size", [0, 1, 5, 6, 7, 57, 58, 63, 64, 65, 1000])
def test_entry_data_offsets_are_64_byte_aligned(first_size: int) -> None:
    blobs = [("a.tflite", b"x" * first_size), ("bb.tflite", b"y" * 100), ("c", b"z")]
    task = bundle.write_stored_zip(blobs)
    offsets = bundle.entry_data_offsets(task)
    for name, data in blobs:
        assert offsets[name] % bundle.ALIGNMENT == 0
        assert task[offsets[name]:offsets[name] + len(data)] == data
    assert entries(task) == dict(blobs)


def test_normalisation_reads_back(built: bytes) -> None:
    files = entries(built)
    assert bundle.read_normalization(files[bundle.LANDMARKS_ENTRY]) == ([0.0], [255.0])
    assert bundle.read_normalization(files[bundle.DETECTOR_ENTRY]) == ([127.5], [127.5])


def test_model_without_metadata_has_no_normalisation() -> None:
    with pytest.raises(ValueError, match="TFLITE_METADATA"):
        bundle.read_normalization(tiny_tflite(5))


def test_building_twice_gives_identical_bytes(built: bytes) -> None:
    assert bundle.build_bundle(tiny_tflite(2), tiny_tflite(5)) == built


def test_metadata_replaces_existing_metadata() -> None:
    """Why the wheel's detector (which has metadata) builds the same bytes as npm's."""
    raw = tiny_tflite(5, payload=300)
    once = bundle.add_metadata(raw, bundle.LANDMARKS_SPEC)
    other = dataclasses.replace(bundle.LANDMARKS_SPEC, name="other", mean=127.5, std=127.5)
    relabelled = bundle.add_metadata(bundle.add_metadata(raw, other), bundle.LANDMARKS_SPEC)
    assert relabelled == once
    assert bundle.add_metadata(once, bundle.LANDMARKS_SPEC) == once


def test_output_count_mismatch_is_rejected() -> None:
    with pytest.raises(ValueError, match="output"):
        bundle.add_metadata(tiny_tflite(3), bundle.LANDMARKS_SPEC)


def installed(name: str):
    """Path of an installed bundle, or skip the test."""
    try:
        return model_path(name)
    except ModelMissingError:
        pytest.skip(f"{name} bundle not installed (mechanics models install)")


@pytest.mark.parametrize("name", ["lite", "full", "heavy"])
def test_installed_bundle_layout_and_normalisation(name: str) -> None:
    task = installed(name).read_bytes()
    files = entries(task)
    assert bundle.read_normalization(files[bundle.LANDMARKS_ENTRY]) == ([0.0], [255.0])
    assert bundle.read_normalization(files[bundle.DETECTOR_ENTRY]) == ([127.5], [127.5])
    assert all(off % 64 == 0 for off in bundle.entry_data_offsets(task).values())


def test_installed_full_bundle_runs_in_video_mode() -> None:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(installed("full"))),
        running_mode=vision.RunningMode.VIDEO, num_poses=2)
    blank = np.zeros((240, 320, 3), np.uint8)
    with vision.PoseLandmarker.create_from_options(opts) as lm:
        for i in range(3):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=blank)
            result = lm.detect_for_video(image, i * 33)
            assert len(result.pose_landmarks) == 0
