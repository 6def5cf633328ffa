"""mechanics: running-mechanics analysis from a phone video, offline, on a laptop CPU."""

from mechanics.sequence import PoseSequence

__version__ = "0.1.0"
__all__ = ["PoseSequence", "__version__"]
