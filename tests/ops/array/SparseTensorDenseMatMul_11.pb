
3
x0Placeholder*
shape
:*
dtype0	
/
x1Placeholder*
shape:*
dtype0
/
x2Placeholder*
shape:*
dtype0	
3
x3Placeholder*
shape
:*
dtype0
}
SparseTensorDenseMatMulSparseTensorDenseMatMulx0x1x2x3*
Tindices0	*
	adjoint_a(*
	adjoint_b(*
T0"ª