
/
x0Placeholder*
shape:*
dtype0
5
StringLengthStringLengthx0*
unit	UTF8_CHAR"ª