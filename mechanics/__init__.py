"""mechanics: running-mechanics analysis from a phone video, offline, on a laptop CPU."""

import os as _os

if not _os.environ.get("MECHANICS_DEBUG"):
    # FFmpeg's and OpenCV's own log lines ("moov atom not found", decoder warnings) would
    # bury our one-line errors; they must be set before cv2 is first imported.
    _os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    _os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

from mechanics.sequence import PoseSequence  # noqa: E402

__version__ = "0.1.0"
__all__ = ["PoseSequence", "__version__"]
