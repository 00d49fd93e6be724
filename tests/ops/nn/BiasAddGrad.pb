
;
x0Placeholder*
shape:*
dtype0
>
BiasAddGradBiasAddGradx0*
T0*
data_formatNHWC"ª