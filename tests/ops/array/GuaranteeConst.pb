
3
x0Placeholder*
shape
:*
dtype0
-
GuaranteeConstGuaranteeConstx0*
T0"ª