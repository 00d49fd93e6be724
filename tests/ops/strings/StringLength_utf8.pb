
/
x0Placeholder*
dtype0*
shape:
5
StringLengthStringLengthx0*
unit	UTF8_CHAR"ª