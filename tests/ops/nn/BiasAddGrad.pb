
;
x0Placeholder*
shape:*
dtype0
>
BiasAddGradBiasAddGradx0*
data_formatNHWC*
T0"ª