
/
x0Placeholder*
dtype0*
shape:
3
StringLowerStringLowerx0*
encodingutf-8"ª