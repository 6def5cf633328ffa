"""Body segment inertia parameters: de Leva (1996) and the trunk split used for momentum.

de Leva P (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters.
J Biomech 29:1223-1230, Table 4, as transcribed in science.md 4.3 (BMClab/BMC
``data/BSP_ZdeLeva.txt`` [V]). Each row: mass (% body mass), CM position (% of segment length
from the origin endpoint), radii of gyration about the sagittal (antero-posterior),
transverse (medio-lateral) and longitudinal axes (% of segment length). Scaled to a runner
by the body mass (kg) and the measured segment lengths (m).

Trunk split for the upper/lower partition and the trunk-pelvis moment (science.md 4.3-4.5):
MediaPipe has no xiphion or navel, so the trunk MS->MH (de Leva MIDS->MIDH row) is cut at
J = MH + j (MS - MH) with j = lower-trunk length / trunk length from de Leva Table 1
(145.7 / 531.9 mm male, 181.5 / 529.3 mm female [M: the sub-lengths sum to the verified
trunk lengths]). The pelvis is de Leva's lower trunk (OMPH->MIDH: mass, CM, radii); the
thorax (upper + middle trunk mass) gets the CM and radii that make the two parts reproduce
the whole-trunk row's mass, CM and inertia (parallel-axis theorem) [D].
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentParams:
    """de Leva (1996) parameters of one segment, as fractions (not %).

    mass : of body mass; cm : CM position from the origin endpoint, of segment length;
    r_sag, r_trans, r_long : radii of gyration about the antero-posterior, medio-lateral
    and long axes, of segment length.
    """

    mass: float
    cm: float
    r_sag: float
    r_trans: float
    r_long: float


def _rows(table: dict[str, tuple[float, ...]]) -> dict[str, SegmentParams]:
    return {k: SegmentParams(*(v / 100.0 for v in row)) for k, row in table.items()}


#: de Leva (1996) Table 4 in % (science.md 4.3; BMClab BSP_ZdeLeva.txt): mass, CM,
#: r_sag, r_trans, r_long. 'trunk' is the MIDS->MIDH row; 'head' VERT->MIDG.
DE_LEVA: dict[str, dict[str, SegmentParams]] = {
    "m": _rows({"head": (6.94, 59.76, 36.2, 37.6, 31.2), "trunk": (43.46, 43.10, 38.4, 35.8, 19.7),
                "upper_trunk": (15.96, 29.99, 71.6, 45.4, 65.9),
                "middle_trunk": (16.33, 45.02, 48.2, 38.3, 46.8),
                "lower_trunk": (11.17, 61.15, 61.5, 55.1, 58.7),
                "upper_arm": (2.71, 57.72, 28.5, 26.9, 15.8),
                "forearm": (1.62, 45.74, 27.6, 26.5, 12.1), "hand": (0.61, 79.00, 62.8, 51.3, 40.1),
                "thigh": (14.16, 40.95, 32.9, 32.9, 14.9), "shank": (4.33, 43.95, 25.1, 24.6, 10.2),
                "foot": (1.37, 44.15, 25.7, 24.5, 12.4)}),
    "f": _rows({"head": (6.68, 58.94, 33.0, 35.9, 31.8), "trunk": (42.57, 37.82, 37.9, 36.1, 18.2),
                "upper_trunk": (15.45, 20.77, 74.6, 50.2, 71.8),
                "middle_trunk": (14.65, 45.12, 43.3, 35.4, 41.5),
                "lower_trunk": (12.47, 49.20, 43.3, 40.2, 44.4),
                "upper_arm": (2.55, 57.54, 27.8, 26.0, 14.8),
                "forearm": (1.38, 45.59, 26.1, 25.7, 9.4), "hand": (0.56, 74.74, 53.1, 45.4, 33.5),
                "thigh": (14.78, 36.12, 36.9, 36.4, 16.2), "shank": (4.81, 43.52, 26.7, 26.3, 9.2),
                "foot": (1.29, 40.14, 29.9, 27.9, 13.9)}),
}
#: lower trunk (OMPH->MIDH) length / trunk (SUPR->MIDH) length, de Leva Table 1 [M]
LOWER_TRUNK_SHARE = {"m": 145.7 / 531.9, "f": 181.5 / 529.3}


def whole_body_fraction(sex: str = "m") -> float:
    """Sum of the de Leva mass fractions of head, trunk and both arms and legs (1.0)."""
    t = DE_LEVA[sex]
    limbs = sum(t[k].mass for k in ("upper_arm", "forearm", "hand", "thigh", "shank", "foot"))
    return t["head"].mass + t["trunk"].mass + 2 * limbs


@dataclass(frozen=True)
class TrunkPart:
    """One part of the split trunk; positions and radii as fractions of the MS-MH length.

    mass : of body mass. u_cm : CM height above MH along MH->MS. k_ap, k_ml, k_long : radii
    of gyration about the part's own CM.
    """

    mass: float
    u_cm: float
    k_ap: float
    k_ml: float
    k_long: float


def trunk_split(sex: str = "m") -> tuple[TrunkPart, TrunkPart, float]:
    """(thorax, pelvis, j): the trunk split at J = MH + j (MS - MH) (module docstring).

    The thorax CM and radii follow from the whole-trunk row: mass-weighted CM, and the
    inertia about the trunk CM minus the pelvis' own and the two parallel-axis terms.
    """
    t, j = DE_LEVA[sex], LOWER_TRUNK_SHARE[sex]
    trunk, low = t["trunk"], t["lower_trunk"]
    m_t, m_p = trunk.mass, low.mass
    m_th = m_t - m_p
    u_t = 1.0 - trunk.cm                                # trunk CM above MH
    u_p = j * (1.0 - low.cm)                            # lower-trunk CM from OMPH toward MIDH
    u_th = (m_t * u_t - m_p * u_p) / m_th
    pelvis = TrunkPart(m_p, u_p, low.r_sag * j, low.r_trans * j, low.r_long * j)
    shift = m_p * (u_p - u_t) ** 2 + m_th * (u_th - u_t) ** 2

    def thorax_k(r_trunk: float, r_pelvis: float, parallel: float) -> float:
        return math.sqrt((m_t * r_trunk**2 - m_p * r_pelvis**2 - parallel) / m_th)

    thorax = TrunkPart(m_th, u_th, thorax_k(trunk.r_sag, pelvis.k_ap, shift),
                       thorax_k(trunk.r_trans, pelvis.k_ml, shift),
                       thorax_k(trunk.r_long, pelvis.k_long, 0.0))
    return thorax, pelvis, j
