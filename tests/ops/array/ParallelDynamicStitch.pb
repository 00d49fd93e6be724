
/
x0Placeholder*
shape:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
3
x2Placeholder*
shape
:*
dtype0
7
x3Placeholder*
shape:*
dtype0
P
ParallelDynamicStitchParallelDynamicStitchx0x1x2x3*
N*
T0"ª