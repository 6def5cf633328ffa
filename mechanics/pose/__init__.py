"""Pose tracking: the 33-landmark skeleton, offline model bundles, MediaPipe backend."""

from mechanics.pose.skeleton import INDEX, LANDMARK_NAMES, N_LANDMARKS

__all__ = ["INDEX", "LANDMARK_NAMES", "N_LANDMARKS"]
