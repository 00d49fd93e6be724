
7
x0Placeholder*
shape:*
dtype0
!
RGBToHSVRGBToHSVx0*
T0"ª