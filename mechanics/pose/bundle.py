"""Build a MediaPipe PoseLandmarker ``.task`` bundle from the solution ``.tflite`` files.

Pure functions: bytes in, bytes out, no network and no files. Facts this follows
(../shared/docs/pose-model.md sections 2 and 7):

- a ``.task`` is a zip of ``pose_detector.tflite`` + ``pose_landmarks_detector.tflite``;
  the Tasks API rejects a compressed zip, so entries are ``ZIP_STORED``, and each entry's
  data starts at a 64-byte aligned offset (no "unaligned buffer" copy or warning);
- a float image input needs TFLite metadata with ``NormalizationOptions``. The landmark
  model gets mean 0 / std 255 (the solution graph ``pose_landmark_by_roi_cpu.pbtxt`` feeds it
  ``output_tensor_float_range {min: 0 max: 1}``); the detector gets mean 127.5 / std 127.5
  (input in [-1, 1], exactly what the detector inside the mediapipe wheels carries);
- the metadata writer of mediapipe >= 0.10.30 lacks its C helper
  ``_pywrap_metadata_version``; :func:`_metadata_writer` installs a stub that returns
  ``"1.0.0"``. That is what the real helper (mediapipe 0.10.21) returns for this metadata,
  which uses no feature newer than parser version 1.0.0.

The output depends only on the input bytes (and the ``flatbuffers`` serialiser), so building
twice gives identical bytes. Writing metadata replaces any metadata already present, so the
wheel's detector and the npm detector give the same bytes.
"""

from __future__ import annotations

import io
import struct
import sys
import types
import zipfile
from dataclasses import dataclass
from types import ModuleType

DETECTOR_ENTRY = "pose_detector.tflite"
LANDMARKS_ENTRY = "pose_landmarks_detector.tflite"
#: data offset alignment of every zip entry (bytes)
ALIGNMENT = 64
#: fixed zip timestamp (the earliest a zip can store), so the bytes never depend on the clock
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
#: "Android zipalign" extra field: id, then uint16 alignment, then zero padding
_ALIGN_EXTRA_ID = 0xD935
_ALIGN_EXTRA_MIN = 6
_LOCAL_HEADER_SIZE = 30
_STUB_NAME = "mediapipe.tasks.cc.metadata.python._pywrap_metadata_version"
_MIN_PARSER_VERSION = "1.0.0"


@dataclass(frozen=True)
class TensorSpec:
    """Name and description of one model tensor in the metadata."""

    name: str
    description: str


@dataclass(frozen=True)
class ModelSpec:
    """TFLite metadata to write into one model of the bundle.

    Attributes
    ----------
    name, description : general model information.
    mean, std : ``NormalizationOptions`` of the image input: ``(pixel - mean) / std``.
    image : the input image tensor.
    outputs : one entry per output tensor, in the model's output order.
    """

    name: str
    description: str
    mean: float
    std: float
    image: TensorSpec
    outputs: tuple[TensorSpec, ...]


DETECTOR_SPEC = ModelSpec(
    name="pose_detector",
    description="BlazePose person detector (MediaPipe pose_detection.tflite).",
    mean=127.5, std=127.5,
    image=TensorSpec("image", "224x224 RGB image scaled to [-1, 1]."),
    outputs=(
        TensorSpec("raw_boxes", "2254 anchors x 12: undecoded box and 4 keypoints."),
        TensorSpec("scores", "2254 anchor scores (logits)."),
    ),
)

LANDMARKS_SPEC = ModelSpec(
    name="pose_landmarks_detector",
    description="BlazePose 39-point landmark model (MediaPipe pose_landmark_*.tflite).",
    mean=0.0, std=255.0,
    image=TensorSpec("image", "256x256 RGB crop scaled to [0, 1]."),
    outputs=(
        TensorSpec("landmarks", "39 x (x, y, z, visibility, presence), crop pixels."),
        TensorSpec("pose_flag", "Pose presence score (logit)."),
        TensorSpec("segmentation", "256x256 person segmentation logits."),
        TensorSpec("heatmap", "64x64x39 landmark heatmaps."),
        TensorSpec("world_landmarks", "39 x (x, y, z) in metres, hip-centred."),
    ),
)


def _metadata_writer() -> ModuleType:
    """Import mediapipe's pure-Python metadata writer, stubbing its missing C helper.

    Returns
    -------
    module
        ``mediapipe.tasks.python.metadata.metadata_writers.metadata_writer``.
    """
    try:
        __import__(_STUB_NAME)
    except ImportError:
        _install_version_stub()
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    return metadata_writer


def _install_version_stub() -> None:
    """Register a fake ``_pywrap_metadata_version`` (and its parent packages)."""
    parts = _STUB_NAME.split(".")
    for i in range(3, len(parts)):
        name = ".".join(parts[:i])
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = []
            sys.modules[name] = package
    stub = types.ModuleType(_STUB_NAME)
    stub.GetMinimumMetadataParserVersion = lambda _buffer: _MIN_PARSER_VERSION
    sys.modules[_STUB_NAME] = stub
    setattr(sys.modules[".".join(parts[:-1])], parts[-1], stub)


def add_metadata(model: bytes, spec: ModelSpec) -> bytes:
    """Return ``model`` with TFLite metadata for an RGB image input and feature outputs.

    Parameters
    ----------
    model : a ``.tflite`` flatbuffer (any existing metadata is replaced).
    spec : what to write; ``len(spec.outputs)`` must equal the model's output count.

    Returns
    -------
    bytes
        The re-serialised model with a ``TFLITE_METADATA`` buffer.

    Raises
    ------
    ValueError
        If the model is not a TFLite flatbuffer or its tensor counts do not match ``spec``.
    """
    mw = _metadata_writer()
    writer = mw.MetadataWriter.create(bytearray(model))
    writer.add_general_info(spec.name, spec.description)
    writer.add_image_input(norm_mean=[spec.mean], norm_std=[spec.std],
                           color_space_type=mw.metadata_fb.ColorSpaceType.RGB,
                           name=spec.image.name, description=spec.image.description)
    for output in spec.outputs:
        writer.add_feature_output(name=output.name, description=output.description)
    try:
        with_metadata, _json = writer.populate()
    finally:
        # The writer's __del__ fails if it survives until interpreter exit (a frame of
        # mediapipe's C bindings keeps this frame alive), so drop it here.
        del writer
    return bytes(with_metadata)


def read_normalization(model: bytes) -> tuple[list[float], list[float]]:
    """Read the image input's ``NormalizationOptions`` back from a model's metadata.

    Parameters
    ----------
    model : a ``.tflite`` flatbuffer with metadata.

    Returns
    -------
    (mean, std)
        Per-channel lists as stored (usually one value each).

    Raises
    ------
    ValueError
        If the model has no metadata or no normalisation unit on its first input.
    """
    from mediapipe.tasks.metadata import metadata_schema_py_generated as fb

    meta = fb.ModelMetadata.GetRootAsModelMetadata(_metadata_buffer(model), 0)
    tensor = meta.SubgraphMetadata(0).InputTensorMetadata(0)
    for i in range(tensor.ProcessUnitsLength()):
        unit = tensor.ProcessUnits(i)
        if unit.OptionsType() == fb.ProcessUnitOptions.NormalizationOptions:
            table = unit.Options()
            norm = fb.NormalizationOptions()
            norm.Init(table.Bytes, table.Pos)
            return list(map(float, norm.MeanAsNumpy())), list(map(float, norm.StdAsNumpy()))
    raise ValueError("first input has no NormalizationOptions")


def _metadata_buffer(model: bytes) -> bytes:
    """Return the raw ``TFLITE_METADATA`` flatbuffer of ``model`` (ValueError if none)."""
    from mediapipe.tasks.metadata import schema_py_generated as schema

    root = schema.Model.GetRootAsModel(model, 0)
    for i in range(root.MetadataLength()):
        entry = root.Metadata(i)
        if entry.Name() == b"TFLITE_METADATA":
            return root.Buffers(entry.Buffer()).DataAsNumpy().tobytes()
    raise ValueError("model has no TFLITE_METADATA")


def _align_extra(name_len: int, offset: int) -> bytes:
    """Extra field that moves the data of an entry starting at ``offset`` to ALIGNMENT."""
    data_start = offset + _LOCAL_HEADER_SIZE + name_len + _ALIGN_EXTRA_MIN
    pad = (-data_start) % ALIGNMENT
    return struct.pack("<HHH", _ALIGN_EXTRA_ID, 2 + pad, ALIGNMENT) + b"\0" * pad


def write_stored_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """Write a deterministic uncompressed zip whose entry data are 64-byte aligned.

    Parameters
    ----------
    entries : ``(name, data)`` pairs in archive order (ASCII names).

    Returns
    -------
    bytes
        The zip file. Timestamps, permissions and host system are fixed.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=False) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # unix; ZipInfo's default depends on the platform
            info.external_attr = 0o100644 << 16
            info.extra = _align_extra(len(name.encode("ascii")), out.tell())
            zf.writestr(info, data)
    return out.getvalue()


def entry_data_offsets(bundle: bytes) -> dict[str, int]:
    """Return the byte offset of each entry's data inside a zip (for alignment checks)."""
    offsets = {}
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        for info in zf.infolist():
            name_len, extra_len = struct.unpack_from("<HH", bundle, info.header_offset + 26)
            offsets[info.filename] = (info.header_offset + _LOCAL_HEADER_SIZE
                                      + name_len + extra_len)
    return offsets


def build_bundle(detector: bytes, landmarks: bytes) -> bytes:
    """Build a PoseLandmarker ``.task`` from a raw detector and a raw landmark model.

    Parameters
    ----------
    detector : ``pose_detection.tflite`` (npm ``pose_solution_packed_assets.data`` or the
        wheel's copy; its metadata, if any, is replaced by :data:`DETECTOR_SPEC`).
    landmarks : ``pose_landmark_{lite,full,heavy}.tflite``.

    Returns
    -------
    bytes
        The ``.task`` zip, byte-identical for identical inputs.
    """
    return write_stored_zip([
        (DETECTOR_ENTRY, add_metadata(detector, DETECTOR_SPEC)),
        (LANDMARKS_ENTRY, add_metadata(landmarks, LANDMARKS_SPEC)),
    ])
