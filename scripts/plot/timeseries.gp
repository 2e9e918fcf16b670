# timeseries.gp — a run over simulated time, in stacked panels sharing the time axis: memory
# in use, faults per sampling interval, swap traffic per interval, and with memory nodes the
# share of each interval's accesses that each node served (a panel without columns is left
# out). Legends sit right of the panels, outside the data.
# Variables: scriptdir, datafile (tab-separated, header row, column 1 simulated time in ms),
# res_cols, fault_cols, swap_cols, share_cols (space-separated column numbers), interval (the
# sampling interval, e.g. '1 ms'), outbase, plottitle.
# Counters arrive as increases per interval (vmsim plot differences the cumulative columns of
# timeseries.csv); a row at time t counts the interval that ends at t (drawn with fsteps).
load scriptdir.'/style.gp'
set datafile separator "\t"
if (!exists("share_cols")) share_cols = ''
npanels = (words(res_cols) > 0) + (words(fault_cols) > 0) + (words(swap_cols) > 0) + \
	(words(share_cols) > 0)
# four panels (with memory nodes) leave less height each: smaller legends and labels
small = npanels > 3
keyfont = small ? ',13' : ',16'
labelfont = small ? ',14' : ',18'
set key outside right top font keyfont width 2
if (small) { set key maxcols 1 spacing 1 }
# the panels share one left and right margin, so their time axes line up
set lmargin at screen 0.11
set rmargin at screen 0.76
set ylabel font labelfont
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
		set ylabel 'pages in use'
		plot for [i=1:words(res_cols)] datafile using 1:(column(word(res_cols, i) + 0)) \
			with lines lt i title columnhead(word(res_cols, i) + 0)
	}
	if (words(fault_cols) > 0) {
		p = p + 1
		if (p == npanels) { set xlabel 'simulated time (ms)' }
		set ylabel 'faults per '.interval
		plot for [i=1:words(fault_cols)] datafile using 1:(column(word(fault_cols, i) + 0)) \
			with fsteps lt i title columnhead(word(fault_cols, i) + 0)
	}
	if (words(swap_cols) > 0) {
		p = p + 1
		if (p == npanels) { set xlabel 'simulated time (ms)' }
		set ylabel 'swap pages per '.interval
		plot for [i=1:words(swap_cols)] datafile using 1:(column(word(swap_cols, i) + 0)) \
			with fsteps lt i title columnhead(word(swap_cols, i) + 0)
	}
	if (words(share_cols) > 0) {
		p = p + 1
		if (p == npanels) { set xlabel 'simulated time (ms)' }
		set ylabel '% of accesses'
		set yrange [0:100]
		set ytics 0, 50, 100
		plot for [i=1:words(share_cols)] datafile using 1:(column(word(share_cols, i) + 0)) \
			with fsteps lt i title columnhead(word(share_cols, i) + 0)
		set yrange [*:*]
		set ytics autofreq
	}
	unset multiplot
	unset output
}
