# cdf.gp — latency CDFs: the fraction of accesses (or faults) completed within a latency, one
# line per configuration, on a log latency axis so that TLB hits (ns) and major faults (ms)
# share one picture.
# Variables: scriptdir, datafile (blocks separated by two blank lines, rows "latency_ns
# fraction"), titles (one double-quoted word per block), outbase, plottitle, xlabel.
load scriptdir.'/style.gp'
set datafile separator whitespace
set title plottitle
set xlabel xlabel
set ylabel 'cumulative fraction'
set logscale x 10
set format x '%.0s%c'
set yrange [0:1.02]
set ytics 0.1
set key inside bottom right
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set output outbase.'.'.t
	plot for [i=1:words(titles)] datafile index (i-1) using 1:2 with steps lt i \
		title word(titles, i)
	unset output
}
