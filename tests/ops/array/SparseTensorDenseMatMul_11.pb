
3
x0Placeholder*
dtype0	*
shape
:
/
x1Placeholder*
dtype0*
shape:
/
x2Placeholder*
dtype0	*
shape:
3
x3Placeholder*
dtype0*
shape
:
}
SparseTensorDenseMatMulSparseTensorDenseMatMulx0x1x2x3*
T0*
	adjoint_a(*
Tindices0	*
	adjoint_b("ª