
/
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0	*
shape:
°
StringNGramsStringNGramsx0x1*
	right_pad>*
left_pad<*
preserve_short_sequences(*
ngram_widths
*
	separator_*
	pad_width*
Tsplits0	"ª