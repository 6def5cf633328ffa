"""Parameters of a synthetic running clip (:class:`SynthParams`) and their validation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from mechanics.errors import MechanicsError

VIEWS = ("side", "front", "back", "oblique")


@dataclass(frozen=True)
class SynthParams:
    """Everything that defines a synthetic clip. Units are in the attribute names' docs.

    Gait
    ----
    cadence : steps per minute (mean step time = 60 / cadence s).
    speed : running speed (m/s): treadmill belt speed, or overground speed.
    duty_factor : mean contact time / stride time (science.md 1.6), < 0.5 for running.
    asymmetry : F; right contact time = (1 + F) x left contact time, their mean is
        duty_factor x stride time, and cadence is unchanged (so flight times differ).
    vertical_oscillation : peak-to-peak vertical excursion of the mid-hip (m); None = 0.08 m,
        or more when the ballistic flight needs it (free-fall rise + 3 cm).
    foot_strike_angle : sole angle to the ground at foot strike (deg, + = toe up, rearfoot;
        - = forefoot strike).
    first_strike : time of the first left foot strike (s).

    Upper body
    ----------
    trunk_lean : forward lean of mid-hip -> mid-shoulder from vertical (deg).
    pelvis_rotation, thorax_rotation : peak-to-peak transverse yaw of the hip line and of the
        shoulder line (deg), counter-rotating (science.md 3.1).
    arm_swing : peak-to-peak shoulder flexion/extension (deg, science.md 2.3 definition).
    arm_swing_centre : mean shoulder flexion (deg, + = upper arm in front of the trunk line).
    elbow_angle : mean elbow flexion (deg, 0 = straight). elbow_range : its peak-to-peak (deg).

    Body
    ----
    stature : standing height barefoot (m). sex : 'm' or 'f' (de Leva 1996 column).

    Camera and clip
    ---------------
    view : 'side' (runner's right side toward the camera, running toward image right),
        'front', 'back' or 'oblique'. oblique_angle : azimuth from the side view toward the
        front (deg; 90 = front, negative = rear-oblique).
    distance : horizontal camera -> runner's path distance (m). camera_height : (m).
    figure_fraction : standing figure height / frame height used to choose the focal length.
    width, height : frame size (px). fps : frames per second. seconds : clip length (s).
    treadmill : True = runner stays in place, belt moves; False = overground, the runner
        crosses the frame (side/oblique: at mid-clip; front: arrives at `distance` at the end;
        back: leaves from `distance` at the start).
    background : 'plain', 'noise' or an image file path. noise : pixel noise sigma (grey
        levels). seed : random seed for the noise.
    """

    cadence: float = 170.0
    speed: float = 3.5
    duty_factor: float = 0.35
    asymmetry: float = 0.0
    vertical_oscillation: float | None = None
    foot_strike_angle: float = 10.0
    first_strike: float = 0.1
    trunk_lean: float = 8.0
    pelvis_rotation: float = 12.0
    thorax_rotation: float = 20.0
    arm_swing: float = 60.0
    arm_swing_centre: float = -5.0
    elbow_angle: float = 90.0
    elbow_range: float = 10.0
    stature: float = 1.75
    sex: str = "m"
    view: str = "side"
    oblique_angle: float = 45.0
    distance: float = 4.0
    camera_height: float = 1.0
    figure_fraction: float = 0.55
    width: int = 1280
    height: int = 720
    fps: float = 60.0
    seconds: float = 6.0
    treadmill: bool = True
    background: str = "plain"
    noise: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        validate(self)

    def oscillation(self) -> float:
        """Peak-to-peak mid-hip excursion (m): the parameter or its automatic value."""
        if self.vertical_oscillation is not None:
            return self.vertical_oscillation
        step = 60.0 / self.cadence
        left = 2.0 * self.duty_factor * 2 * step / (2.0 + self.asymmetry)
        flight = step - min(left, (1.0 + self.asymmetry) * left)
        return max(0.08, 9.81 * flight**2 / 8.0 + 0.03)

    @property
    def n_frames(self) -> int:
        """Number of frames in the clip."""
        return max(1, int(round(self.seconds * self.fps)))

    def as_dict(self) -> dict[str, Any]:
        """All parameters as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of all parameters."""
        return tuple(f.name for f in fields(cls))


_RANGES: dict[str, tuple[float, float]] = {
    "cadence": (100.0, 260.0), "speed": (1.5, 10.0), "duty_factor": (0.1, 0.49),
    "asymmetry": (-0.4, 0.4), "vertical_oscillation": (0.02, 0.16),
    "foot_strike_angle": (-25.0, 25.0), "trunk_lean": (-10.0, 30.0),
    "pelvis_rotation": (0.0, 40.0), "thorax_rotation": (0.0, 60.0), "arm_swing": (0.0, 120.0),
    "arm_swing_centre": (-40.0, 40.0), "elbow_angle": (20.0, 140.0), "elbow_range": (0.0, 40.0),
    "stature": (1.0, 2.3), "oblique_angle": (-89.0, 89.0), "distance": (1.5, 30.0),
    "camera_height": (0.2, 3.0), "figure_fraction": (0.1, 0.9), "fps": (10.0, 480.0),
    "seconds": (0.1, 120.0), "noise": (0.0, 80.0), "first_strike": (0.0, 5.0),
}


def validate(p: SynthParams) -> None:
    """Raise :class:`MechanicsError` (one line) for an out-of-range or inconsistent parameter."""
    for name, (lo, hi) in _RANGES.items():
        value = getattr(p, name)
        if value is None and name == "vertical_oscillation":
            continue
        if not lo <= value <= hi:
            raise MechanicsError(f"{name.replace('_', '-')} must be between {lo:g} and {hi:g}, "
                                 f"not {value:g}")
    if p.view not in VIEWS:
        raise MechanicsError(f"view must be one of {', '.join(VIEWS)}, not {p.view!r}")
    if p.sex not in ("m", "f"):
        raise MechanicsError(f"sex must be 'm' or 'f', not {p.sex!r}")
    if not (16 <= p.width <= 7680 and 16 <= p.height <= 7680):
        raise MechanicsError(f"frame size {p.width}x{p.height} is out of range")
    if p.width % 2 or p.height % 2:
        raise MechanicsError(f"frame size {p.width}x{p.height} must be even (video encoders)")
    stride = 120.0 / p.cadence
    left = 2.0 * p.duty_factor * stride / (2.0 + p.asymmetry)
    longest = max(left, (1.0 + p.asymmetry) * left)
    if longest >= stride / 2.0 - 0.01:
        raise MechanicsError(
            f"duty factor {p.duty_factor:g} with asymmetry {p.asymmetry:g} leaves no flight "
            f"phase (longest contact {longest:.3f} s >= step time {stride / 2:.3f} s)")
