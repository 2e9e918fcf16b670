# mrc.gp — a miss-ratio curve from `vmsim mrc`: faults / references against memory size. LRU
# in style 1, OPT (Belady) in style 8 as the lower bound; a SHARDS estimate with the shaded
# range of its K samples' curves (--shards-band K: the same trace sampled with K hash salts).
# Variables: scriptdir, outbase, datafile (rows "frames ratio" for kind 'one', "frames
# lru_ratio opt_ratio" for 'both', "frames ratio ratio_min ratio_max" for 'band', "frames
# ratio lru_error" for 'mini': another policy's miniature simulations), kind, logx
# (1: sizes up to 64 frames or more, log2 axis), plottitle.
load scriptdir.'/style.gp'
set datafile separator whitespace
set title plottitle
set xlabel 'memory size (frames'.(logx ? ', log scale)' : ')')
set ylabel 'miss ratio (faults / references)'
if (logx) { set logscale x 2; set format x '%.0s%c' }
set yrange [0:1.02]
set key inside top right opaque
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set output outbase.'.'.t
	if (kind eq 'both') {
		plot datafile using 1:2 with lines lt 1 title 'LRU', \
		     datafile using 1:3 with lines lt 8 title 'OPT (lower bound)'
	} else { if (kind eq 'band') {
		plot datafile using 1:3:4 with filledcurves lc 1 fs transparent solid 0.25 \
			title 'SHARDS: range of the samples', \
		     datafile using 1:2 with lines lt 1 title 'LRU (SHARDS estimate)'
	} else { if (kind eq 'mini') {
		plot datafile using 1:2:3 with yerrorbars lt 1 pt 7 \
			title "miniature simulations; bars: LRU miniatures' error", \
		     datafile using 1:2 with lines lt 1 notitle
	} else {
		plot datafile using 1:2 with lines lt 1 title 'faults / references'
	} } }
	unset output
}
