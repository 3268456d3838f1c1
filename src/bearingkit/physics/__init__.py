"""The physics of rolling bearings: defect frequencies from geometry (:mod:`.kinematics`) and a vibration
simulator built on them (:mod:`.simulate`) for the rigs whose data are not public."""

__all__: list[str] = []
