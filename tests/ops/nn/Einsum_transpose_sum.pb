
7
x0Placeholder*
shape:*
dtype0
=
EinsumEinsumx0*
N*
T0*
equation	ijk->kj"ª