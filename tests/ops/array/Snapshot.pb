
3
x0Placeholder*
shape
:*
dtype0
!
SnapshotSnapshotx0*
T0"ª