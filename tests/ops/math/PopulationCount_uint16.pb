
/
x0Placeholder*
shape:*
dtype0
/
PopulationCountPopulationCountx0*
T0"ª