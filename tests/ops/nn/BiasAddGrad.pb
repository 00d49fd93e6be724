
;
x0Placeholder*
dtype0*
shape:
>
BiasAddGradBiasAddGradx0*
T0*
data_formatNHWC"ª