
7
x0Placeholder*
shape:*
dtype0
!
HSVToRGBHSVToRGBx0*
T0"ª