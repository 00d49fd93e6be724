
-
x0Placeholder*
dtype0*
shape:
B
SelfAdjointEigV2SelfAdjointEigV2x0*
T0*
	compute_v("ª