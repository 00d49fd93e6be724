
7
x0Placeholder*
shape:*
dtype0
3
x1Placeholder*
shape
:*
dtype0
L
EinsumEinsumx0x1* 
equation...ij,...jk->...ik*
T0*
N"ª