
7
x0Placeholder*
shape:*
dtype0
7
x1Placeholder*
shape:*
dtype0
F
EinsumEinsumx0x1*
equationbij,bjk->bik*
T0*
N"ª