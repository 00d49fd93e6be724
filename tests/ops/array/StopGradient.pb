
3
x0Placeholder*
dtype0*
shape
:
)
StopGradientStopGradientx0*
T0"ª