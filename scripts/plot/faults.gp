# faults.gp — fault curves: page faults against memory size, one line per replacement policy,
# OPT (Belady) drawn dashed in black as the lower bound every other policy stays above.
# Variables (set by a vars file `vmsim plot` writes beside the data, run before this script):
# scriptdir, datafile (blocks separated by two blank lines, rows "frames faults"), titles (one
# double-quoted word per block), optblock (1-based block of OPT, 0: none), outbase, plottitle,
# ylabel, logx (1: memory sizes span a factor of 16 or more, drawn on a log2 axis).
load scriptdir.'/style.gp'
set datafile separator whitespace
set title plottitle
set xlabel 'memory size (frames)'
set ylabel ylabel
if (logx) { set logscale x 2 }
set format x '%g'
set yrange [0:*]
set key outside right top
# OPT black and dashed; lines past the 7th take the second set of shapes, dotted.
ltof(i) = (i == optblock) ? 8 : ((i >= 8) ? i + 1 : i)
dtof(i) = (i == optblock) ? 2 : ((i >= 8) ? 3 : 1)
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set output outbase.'.'.t
	plot for [i=1:words(titles)] datafile index (i-1) using 1:2 with linespoints \
		lt ltof(i) dt dtof(i) \
		title (i == optblock ? word(titles, i).' (lower bound)' : word(titles, i))
	unset output
}
