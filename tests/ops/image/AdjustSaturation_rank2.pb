
-
x0Placeholder*
shape:*
dtype0
-
x1Placeholder*
shape:*
dtype0
5
AdjustSaturationAdjustSaturationx0x1*
T0"ª