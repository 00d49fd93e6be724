
/
x0Placeholder*
shape:*
dtype0
0
StringLengthStringLengthx0*
unitBYTE"ª