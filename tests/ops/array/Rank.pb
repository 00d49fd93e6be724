
7
x0Placeholder*
shape:*
dtype0

RankRankx0*
T0"ª