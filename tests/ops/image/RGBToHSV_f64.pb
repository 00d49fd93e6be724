
7
x0Placeholder*
dtype0*
shape:
!
RGBToHSVRGBToHSVx0*
T0"ª