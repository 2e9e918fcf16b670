# timeseries.gp — a run over simulated time, in stacked panels: memory in use, faults per
# interval, swap traffic per interval (a panel without columns is left out).
# Variables: scriptdir, datafile (tab-separated, header row, column 1 simulated time in ms),
# res_cols, fault_cols, swap_cols (space-separated column numbers), outbase, plottitle.
# Counters arrive as increases per interval (vmsim plot differences the cumulative columns of
# timeseries.csv); a row at time t counts the interval that ends at t (drawn with fsteps).
load scriptdir.'/style.gp'
set datafile separator "\t"
set key inside top right
npanels = (words(res_cols) > 0) + (words(fault_cols) > 0) + (words(swap_cols) > 0)
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set output outbase.'.'.t
	set multiplot layout npanels,1 title plottitle
	unset title
	set xlabel ''
	p = 0
	if (words(res_cols) > 0) {
		p = p + 1
		if (p == npanels) { set xlabel 'simulated time (ms)' }
		set ylabel 'memory in use (pages)'
		plot for [c in res_cols] datafile using 1:(column(c+0)) with lines lt (c+0) \
			title columnhead(c+0)
	}
	if (words(fault_cols) > 0) {
		p = p + 1
		if (p == npanels) { set xlabel 'simulated time (ms)' }
		set ylabel 'faults / interval'
		plot for [c in fault_cols] datafile using 1:(column(c+0)) with fsteps lt (c+0) \
			title columnhead(c+0)
	}
	if (words(swap_cols) > 0) {
		p = p + 1
		if (p == npanels) { set xlabel 'simulated time (ms)' }
		set ylabel 'swap (pages / interval)'
		plot for [c in swap_cols] datafile using 1:(column(c+0)) with fsteps lt (c+0) \
			title columnhead(c+0)
	}
	unset multiplot
	unset output
}
