
;
x0Placeholder*
shape:*
dtype0
/
x1Placeholder*
shape:*
dtype0
:
BiasAddBiasAddx0x1*
T0*
data_formatNHWC"ª