"""Read the few container facts OpenCV does not expose, from ISO-BMFF (MP4/MOV) boxes.

- the handler type of every track (``vide``, ``soun``, ...), so an audio-only file gets a
  clear error rather than "cannot decode";
- the capture frame rate that phones record for slow-motion clips: Android writes the
  QuickTime metadata key ``com.android.capture.fps`` (a float) into ``moov/udta/meta`` or
  ``moov/meta``; Apple writes ``com.apple.quicktime.capture.fps`` or similar in some modes.

Only box headers and the small ``moov`` metadata boxes are read; media data is never loaded.
Reference: ISO/IEC 14496-12 (box structure), Apple QuickTime File Format (metadata
``keys``/``ilst`` atoms, well-known data type 23 = big-endian float32).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

CONTAINERS = {b"moov", b"trak", b"mdia", b"udta", b"minf", b"stbl", b"edts"}
CAPTURE_FPS_KEYS = ("com.android.capture.fps", "com.apple.quicktime.capture.fps")
MAX_MOOV = 64 * 1024 * 1024


@dataclass
class ContainerInfo:
    """What the MP4 boxes say: track handler types and QuickTime metadata keys."""

    is_mp4: bool = False
    handlers: list[str] = field(default_factory=list)
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def capture_fps(self) -> float | None:
        """Recorded capture frame rate of a slow-motion clip, if the container holds one."""
        for key in CAPTURE_FPS_KEYS:
            value = self.metadata.get(key)
            if isinstance(value, int | float) and value > 0:
                return float(value)
            if isinstance(value, str):
                try:
                    return float(value)
                except ValueError:
                    continue
        return None


def read_container_info(path: str | Path) -> ContainerInfo:
    """Parse the top-level boxes of ``path``; never raises on non-MP4 input."""
    info = ContainerInfo()
    try:
        with open(path, "rb") as fh:
            moov = _find_top_level(fh, b"moov", info)
    except OSError:
        return info
    if moov is not None:
        _walk(moov, info)
    return info


def _box_header(fh: BinaryIO) -> tuple[bytes, int, int] | None:
    """Return (type, header size, payload size) of the box at the file position."""
    head = fh.read(8)
    if len(head) < 8:
        return None
    size, kind = struct.unpack(">I4s", head)
    header = 8
    if size == 1:
        ext = fh.read(8)
        if len(ext) < 8:
            return None
        size = struct.unpack(">Q", ext)[0]
        header = 16
    elif size == 0:  # box extends to end of file
        here = fh.tell()
        fh.seek(0, 2)
        size = fh.tell() - here + header
        fh.seek(here)
    if size < header:
        return None
    return kind, header, size - header


def _find_top_level(fh: BinaryIO, wanted: bytes, info: ContainerInfo) -> bytes | None:
    first = True
    while True:
        hdr = _box_header(fh)
        if hdr is None:
            return None
        kind, _, payload = hdr
        if first:
            info.is_mp4 = kind in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
            first = False
            if not info.is_mp4:
                return None
        if kind == wanted:
            if payload > MAX_MOOV:
                return None
            data = fh.read(payload)
            return data if len(data) == payload else None
        fh.seek(payload, 1)


def _children(data: bytes, start: int = 0):
    pos = start
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1 and pos + 16 <= len(data):
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = len(data) - pos
        if size < header or pos + size > len(data):
            return
        yield kind, data[pos + header:pos + size]
        pos += size


def _walk(data: bytes, info: ContainerInfo) -> None:
    for kind, payload in _children(data):
        if kind in CONTAINERS:
            _walk(payload, info)
        elif kind == b"hdlr" and len(payload) >= 12:
            info.handlers.append(payload[8:12].decode("latin-1"))
        elif kind == b"meta":
            _read_meta(payload, info)


def _read_meta(payload: bytes, info: ContainerInfo) -> None:
    # QuickTime 'meta' has no version/flags; ISO 'meta' (full box) has 4 bytes of them.
    start = 4 if payload[:4] == b"\0\0\0\0" else 0
    keys: list[str] = []
    items: dict[int, object] = {}
    for kind, body in _children(payload, start):
        if kind == b"keys" and len(body) >= 8:
            keys = _parse_keys(body)
        elif kind == b"ilst":
            items = _parse_ilst(body)
    for index, value in items.items():
        if 1 <= index <= len(keys):
            info.metadata[keys[index - 1]] = value


def _parse_keys(body: bytes) -> list[str]:
    count = struct.unpack(">I", body[4:8])[0]
    keys, pos = [], 8
    for _ in range(count):
        if pos + 8 > len(body):
            break
        size = struct.unpack(">I", body[pos:pos + 4])[0]
        keys.append(body[pos + 8:pos + size].decode("utf-8", "replace"))
        pos += max(size, 8)
    return keys


def _parse_ilst(body: bytes) -> dict[int, object]:
    items: dict[int, object] = {}
    for kind, item in _children(body):
        index = struct.unpack(">I", kind)[0]
        for sub, data in _children(item):
            if sub == b"data" and len(data) >= 8:
                items[index] = _decode_value(struct.unpack(">I", data[:4])[0] & 0xFFFFFF,
                                             data[8:])
    return items


def _decode_value(type_code: int, raw: bytes) -> object:
    if type_code == 23 and len(raw) == 4:
        return struct.unpack(">f", raw)[0]
    if type_code == 24 and len(raw) == 8:
        return struct.unpack(">d", raw)[0]
    if type_code in (21, 22) and 1 <= len(raw) <= 8:
        return int.from_bytes(raw, "big", signed=type_code == 21)
    return raw.decode("utf-8", "replace")
