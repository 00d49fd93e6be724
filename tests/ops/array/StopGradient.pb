
3
x0Placeholder*
shape
:*
dtype0
)
StopGradientStopGradientx0*
T0"ª