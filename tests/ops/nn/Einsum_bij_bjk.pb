
7
x0Placeholder*
dtype0*
shape:
7
x1Placeholder*
dtype0*
shape:
F
EinsumEinsumx0x1*
equationbij,bjk->bik*
T0*
N"ª