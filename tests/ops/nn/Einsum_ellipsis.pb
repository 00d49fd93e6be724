
7
x0Placeholder*
dtype0*
shape:
3
x1Placeholder*
dtype0*
shape
:
L
EinsumEinsumx0x1* 
equation...ij,...jk->...ik*
T0*
N"ª