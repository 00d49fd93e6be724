
-
x0Placeholder*
shape:*
dtype0
-
x1Placeholder*
shape:*
dtype0
-
x2Placeholder*
shape:*
dtype0
-
x3Placeholder*
shape:*
dtype0
-
x4Placeholder*
shape:*
dtype0
Z
NonMaxSuppressionV3NonMaxSuppressionV3x0x1x2x3x4*
T0*
T_threshold0"ª