
3
x0Placeholder*
dtype0*
shape
:
!
SnapshotSnapshotx0*
T0"ª