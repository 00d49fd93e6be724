
;
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0*
shape:
:
BiasAddBiasAddx0x1*
T0*
data_formatNCHW"ª