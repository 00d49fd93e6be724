
7
x0Placeholder*
dtype0*
shape:
!
HSVToRGBHSVToRGBx0*
T0"ª