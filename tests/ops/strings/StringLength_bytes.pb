
/
x0Placeholder*
dtype0*
shape:
0
StringLengthStringLengthx0*
unitBYTE"ª