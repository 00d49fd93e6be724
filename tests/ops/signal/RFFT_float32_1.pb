
3
x0Placeholder*
dtype0*
shape
:

0
c1Const*
valueB:*
dtype0
1
RFFTRFFTx0c1*
Treal0*
Tcomplex0"ª