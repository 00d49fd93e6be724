
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
R
NonMaxSuppressionWithOverlapsNonMaxSuppressionWithOverlapsx0x1x2x3x4"ª