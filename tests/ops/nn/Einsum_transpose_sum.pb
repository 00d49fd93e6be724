
7
x0Placeholder*
dtype0*
shape:
=
EinsumEinsumx0*
N*
T0*
equation	ijk->kj"ª