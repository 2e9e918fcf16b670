# breakdown.gp — where simulated time went: one stacked bar per configuration, one layer per
# time.*_ps statistic, bars grouped by memory size (group names on the top axis, groups
# separated by dotted lines) with the policies side by side; absolute (percent = 0) or as a
# share of each bar's total (percent = 1). With panels = 1 (many bars) each group is a panel of
# its own, one y range for all, the legend in a cell of its own.
# Variables: scriptdir, outbase, datafile (tab-separated, header row: x group bar total then
# one column per layer, in unit), nlayers, unit, nbars, xmax, ymax (the tallest bar), group_tics
# (x2tics list), separators (x positions of the gaps), panels, group_first, group_last (each
# group's first and last x), group_names, layer_names, groupkey, percent, plottitle.
load scriptdir.'/style.gp'
set datafile separator "\t"
if (percent) {
	set ylabel 'share of the time (%)'
	set yrange [0:100]
} else {
	set ylabel 'simulated time ('.unit.')'
	set yrange [0:ymax * 1.04]
}
set style fill solid 1.0 noborder
set boxwidth 0.8
set grid noxtics ytics
set xtics scale 0
layer_colours = "#0072B2 #E69F00 #009E73 #D55E00 #56B4E9 #CC79A7 #F0E442 #999999 #882255 #44AA99 #332288 #117733"
colour(k) = word(layer_colours, (k - 1) % 12 + 1)
top(k) = sum [j=1:k] column(4 + j)
height(k) = percent ? ((column(4) > 0) ? 100 * top(k) / column(4) : 0) : top(k)
ngroups = words(group_first)
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set output outbase.'.'.t
	if (!panels) {
		set title plottitle
		set xrange [-0.7:xmax + 0.7]
		# policies (the bars) on the bottom axis, vertical when there are many
		if (nbars > 14) { set xtics rotate by 90 right font ',14' } else { set xtics font ',16' }
		if (group_tics ne '') {
			eval('set x2tics ('.group_tics.') scale 0 font ",16"')
			set x2range [-0.7:xmax + 0.7]
			set x2label groupkey font ',16'
		}
		do for [s in separators] {
			set arrow from s+0, graph 0 to s+0, graph 1 nohead dt 3 lc rgb '#808080' lw 1
		}
		set key outside right top title 'component' noenhanced
		# painter's order: the tallest cumulative layer first, each next one drawn over it
		plot for [k=nlayers:1:-1] datafile using 1:(height(k)):xtic(3) with boxes \
			lc rgb colour(k) dt solid title columnhead(4 + k)
	} else {
		cols = ceil(sqrt(ngroups + 1))
		rows = ceil((ngroups + 1.0) / cols)
		set multiplot layout rows,cols title plottitle
		set xtics rotate by 90 right font ',13'
		set ytics font ',16'
		set ylabel font ',16'
		unset key
		do for [g=1:ngroups] {
			set title groupkey.' = '.word(group_names, g) font ',18'
			set xrange [word(group_first, g) - 0.7:word(group_last, g) + 0.7]
			plot for [k=nlayers:1:-1] datafile using 1:(height(k)):xtic(3) with boxes \
				lc rgb colour(k) dt solid notitle
		}
		# the legend in the next free cell
		unset title
		unset border
		unset tics
		unset xlabel
		unset ylabel
		unset grid
		set xrange [0:1]
		set yrange [0:1]
		set key center center title 'component' noenhanced font ',18'
		plot for [k=nlayers:1:-1] NaN with boxes lc rgb colour(k) dt solid title word(layer_names, k)
		unset multiplot
	}
	unset output
}
