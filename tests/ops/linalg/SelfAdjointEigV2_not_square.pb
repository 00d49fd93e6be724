
-
x0Placeholder*
shape:*
dtype0
B
SelfAdjointEigV2SelfAdjointEigV2x0*
T0*
	compute_v("ª