# breakdown.gp — where simulated time went: one stacked bar per configuration (TLB lookups,
# page walks, DRAM, fault handling, waiting for the disk, compute).
# Variables: scriptdir, datafile (tab-separated, header row, column 1 the configuration label,
# columns 2..ncols the components already scaled to unit), ncols, unit, outbase, plottitle,
# xlabel (what the bar labels list).
load scriptdir.'/style.gp'
set datafile separator "\t"
set title plottitle
set ylabel 'simulated time ('.unit.')'
set xlabel xlabel
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border lc rgb '#404040'
set boxwidth 0.7
set yrange [0:*]
set xtics rotate by -45 left font ',16'
set grid noxtics ytics
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set output outbase.'.'.t
	plot for [i=2:ncols] datafile using i:xtic(1) lt (i-1) title columnhead(i)
	unset output
}
