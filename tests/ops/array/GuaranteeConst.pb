
3
x0Placeholder*
dtype0*
shape
:
-
GuaranteeConstGuaranteeConstx0*
T0"ª