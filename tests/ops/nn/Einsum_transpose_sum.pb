
7
x0Placeholder*
dtype0*
shape:
=
EinsumEinsumx0*
T0*
equation	ijk->kj*
N"ª