# ccdf.gp — latency as a complementary CDF on log-log axes: for each latency x, the fraction
# of accesses (or faults) slower than x. The tail that matters (TLB misses, walks, faults)
# spans decades on both axes, where a CDF would be a flat line near 1. The slowest bucket
# (fraction 0) cannot be drawn on a log axis: a line ends at the last latency that something
# exceeded. One series per configuration (the seeds of a sweep: one line each, in the style of
# their series, named once); more than eight series become panels (small multiples).
# Variables: scriptdir, datafile (blocks separated by two blank lines, rows "latency_ns
# fraction_slower"), titles (one double-quoted word per block, "-": no legend entry),
# npanels, panel<p>_blocks / panel<p>_styles, outbase, plottitle, xlabel,
# ylabel, ymin (the smallest fraction drawn: one y range for every panel).
load scriptdir.'/style.gp'
set datafile separator whitespace
set xlabel xlabel
set ylabel ylabel
set logscale x 10
set logscale y 10
set format x '10^{%T}'
set format y '10^{%T}'
set termoption enhanced
set yrange [ymin / 1.5:1.5]
if (ymin > 0.01) {
	# less than two decades: 1-2-3-5 tics, plain numbers
	set ytics () format '%g'
	do for [d=-2:0] { do for [m in "1 2 3 5"] { set ytics add ((m + 0) * 10.0**d) } }
}
rows = (npanels > 3) ? 2 : 1
cols = (npanels + rows - 1) / rows
tt(i) = (word(titles, i) eq '-') ? '' : word(titles, i)
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set termoption enhanced
	set output outbase.'.'.t
	if (npanels > 1) {
		set key inside bottom left font ',14' spacing 1.0 samplen 2.5 noenhanced opaque
		set xtics font ',16'
		set ytics font ',16'
		set multiplot layout rows,cols title plottitle noenhanced
		unset title
	} else {
		set key outside right top noenhanced
		set title plottitle noenhanced
	}
	do for [p=1:npanels] {
		bl = value('panel'.p.'_blocks')
		st = value('panel'.p.'_styles')
		plot for [i=1:words(bl)] datafile index (word(bl, i) - 1) using 1:2 with steps \
			lt (word(st, i) + 0) title tt(word(bl, i) + 0)
	}
	if (npanels > 1) { unset multiplot }
	unset output
}
