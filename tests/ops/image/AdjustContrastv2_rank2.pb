
-
x0Placeholder*
dtype0*
shape:
-
x1Placeholder*
dtype0*
shape:
5
AdjustContrastv2AdjustContrastv2x0x1*
T0"ª