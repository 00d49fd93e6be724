
/
x0Placeholder*
dtype0*
shape:
/
x1Placeholder*
dtype0	*
shape:
°
StringNGramsStringNGramsx0x1*
ngram_widths
*
	right_pad>*
Tsplits0	*
	separator_*
	pad_width*
preserve_short_sequences(*
left_pad<"ª