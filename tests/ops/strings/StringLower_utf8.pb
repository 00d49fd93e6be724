
/
x0Placeholder*
shape:*
dtype0
3
StringLowerStringLowerx0*
encodingutf-8"ª