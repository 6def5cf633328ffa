"""Body proportions of the synthetic runner, scaled from de Leva (1996).

Segment lengths are de Leva's Table 1 mean lengths divided by the mean stature of his
sample, then multiplied by the runner's stature:

de Leva P. (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters.
J Biomech 29(9):1223-1230, Table 1 (mean segment lengths, mm; sample mean stature
1741 mm for males, 1735 mm for females).

============  ==================  ===========  ===========
segment       endpoints           male (mm)    female (mm)
============  ==================  ===========  ===========
head          VERT -> MIDG        203.3        200.2
trunk         SUPR -> MIDH        531.9        529.3
upper arm     SJC -> EJC          281.7        275.1
forearm       EJC -> WJC          268.9        264.3
hand          WJC -> MET3         86.2         78.0
thigh         HJC -> KJC          422.2        368.5
shank         KJC -> LMAL         434.0        432.3
foot          HEEL -> TTIP        258.1        228.3
============  ==================  ===========  ===========

The male column matches an independent transcription of the same table as fractions of
stature (thigh 0.2425, shank 0.2493, foot 0.1482, head 0.1168, trunk 0.3055). The female
column is quoted from the paper's table as remembered [M: check against the paper before
citing it as a source].

Values that de Leva does not give are design values for a plausible adult, documented where
they are defined below (widths, ankle height, radii); they are proportional to stature.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from mechanics.errors import MechanicsError

#: de Leva (1996) Table 1 mean segment lengths (mm) and sample mean stature (mm)
DE_LEVA_LENGTHS_MM: dict[str, dict[str, float]] = {
    "m": {"stature": 1741.0, "head": 203.3, "trunk": 531.9, "upper_arm": 281.7,
          "forearm": 268.9, "hand": 86.2, "thigh": 422.2, "shank": 434.0, "foot": 258.1},
    "f": {"stature": 1735.0, "head": 200.2, "trunk": 529.3, "upper_arm": 275.1,
          "forearm": 264.3, "hand": 78.0, "thigh": 368.5, "shank": 432.3, "foot": 228.3},
}

#: design fractions of stature (not from de Leva)
ANKLE_HEIGHT = 0.039     # lateral malleolus above the floor, barefoot (Winter 2009, Fig. 4.1)
HIP_WIDTH = 0.095        # distance between hip joint centres (science.md 3.4: 0.09-0.10 H [M])
SHOULDER_WIDTH = 0.200   # distance between shoulder joint centres (design value)
SHOULDER_DROP = 0.018    # shoulder joint centres below suprasternale (design value)
SHOE_SOLE_M = 0.03       # shoe sole (outsole + midsole) at the heel, unloaded (m) [design:
                         # running shoes' heel stack ~25-35 mm]; raises the body when standing


def segment_fractions(sex: str) -> dict[str, float]:
    """de Leva (1996) segment lengths as fractions of stature.

    Parameters
    ----------
    sex : {'m', 'f'}

    Returns
    -------
    dict
        Segment name -> length / stature (dimensionless).
    """
    if sex not in DE_LEVA_LENGTHS_MM:
        raise MechanicsError(f"sex must be 'm' or 'f', not {sex!r}")
    table = DE_LEVA_LENGTHS_MM[sex]
    return {k: v / table["stature"] for k, v in table.items() if k != "stature"}


@dataclass(frozen=True)
class Body:
    """Dimensions of one synthetic runner (metres).

    Attributes
    ----------
    stature : float
        Standing height barefoot (m).
    sex : str
        'm' or 'f' (selects the de Leva column).
    head, trunk, upper_arm, forearm, hand, thigh, shank, foot : float
        de Leva (1996) segment lengths scaled by stature (m). ``trunk`` is SUPR -> MIDH
        (suprasternale to mid hip joint centres), ``foot`` is heel to toe tip.
    ankle_height : float
        Ankle joint centre above the shoe sole (m): barefoot ankle height plus the sole.
    hip_width, shoulder_width : float
        Distance between the left and right hip / shoulder joint centres (m).
    shoulder_drop : float
        Shoulder joint centres below the suprasternale along the trunk axis (m).
    heel_to_ankle : float
        Horizontal distance heel -> ankle joint centre with the foot flat (m), 0.22 x foot.
    """

    stature: float
    sex: str
    head: float
    trunk: float
    upper_arm: float
    forearm: float
    hand: float
    thigh: float
    shank: float
    foot: float
    ankle_height: float
    hip_width: float
    shoulder_width: float
    shoulder_drop: float
    heel_to_ankle: float

    @property
    def leg(self) -> float:
        """Thigh + shank length (m)."""
        return self.thigh + self.shank

    @property
    def standing_height(self) -> float:
        """Top of the head above the floor when standing in shoes (m)."""
        return self.stature + SHOE_SOLE_M

    @property
    def hip_height(self) -> float:
        """Hip joint centre height standing in shoes (m)."""
        return self.ankle_height + self.leg

    @property
    def shoulder_to_hip(self) -> float:
        """Mid hip joint centres -> mid shoulder joint centres (m)."""
        return self.trunk - self.shoulder_drop

    def as_dict(self) -> dict[str, float | str]:
        """All dimensions as a JSON-ready dict (metres)."""
        return asdict(self)


def make_body(stature: float = 1.75, sex: str = "m") -> Body:
    """Dimensions of a runner of the given stature and sex.

    Parameters
    ----------
    stature : float
        Standing height barefoot (m), 1.0-2.3.
    sex : {'m', 'f'}
        Selects the male or female column of de Leva (1996) Table 1.

    Returns
    -------
    Body
    """
    if not 1.0 <= stature <= 2.3:
        raise MechanicsError(f"height must be between 1.0 and 2.3 m, not {stature:g}")
    frac = segment_fractions(sex)
    seg = {k: v * stature for k, v in frac.items()}
    return Body(stature=stature, sex=sex, **seg,
                ankle_height=ANKLE_HEIGHT * stature + SHOE_SOLE_M,
                hip_width=HIP_WIDTH * stature, shoulder_width=SHOULDER_WIDTH * stature,
                shoulder_drop=SHOULDER_DROP * stature, heel_to_ankle=0.22 * seg["foot"])
