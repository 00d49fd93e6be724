
-
x0Placeholder*
shape:*
dtype0
-
x1Placeholder*
shape:*
dtype0
5
AdjustContrastv2AdjustContrastv2x0x1*
T0"ª