# tiering.gp — the plots of scripts/demo-tiering: the share of accesses served by the fast
# tier, per promotion policy.
#  share-WORKLOAD: over simulated time, one panel per fast-node size (25/50/75% of the working
#   set), a line per policy; each point is one sampling interval (drawn with steps: a value at
#   time t covers the interval that ends at t).
#  share: the share of all accesses against the fast node's size, a panel per workload.
# Variables: scriptdir, out (the demo's output directory, with out/data/*.dat from
# scripts/tiering_share.py).
load scriptdir.'/style.gp'
policies = "none linux tpp oracle"
sizes = "25 50 75"
workloads = "zipf fork"
wtitle(w) = w eq "zipf" ? "phase-changing Zipf (2000 pages a phase; phases at 0, +1000, 0)" \
                        : "pre-forking server (4096-page Zipf heap shared by the workers)"
set key outside right top font ',18' width 1
set lmargin at screen 0.10
set rmargin at screen 0.82
set ylabel font ',18'
set yrange [0:105]
set ytics 0, 25, 100
do for [w in workloads] {
	# one time axis for the three panels: the longest run's end
	tmax = 0
	set xrange [*:*]
	set yrange [*:*]
	do for [s in sizes] {
		do for [p in policies] {
			stats out.'/data/'.w.'-'.s.'-'.p.'.dat' using 1 nooutput
			tmax = STATS_max > tmax ? STATS_max : tmax
		}
	}
	set xrange [0:tmax]
	set yrange [0:105]
	do for [t in "png svg"] {
		if (t eq "png") { @png_term } else { @svg_term }
		set output out.'/share-'.w.'.'.t
		set multiplot layout 3,1 title 'Share of accesses served by the fast tier, per 2 ms: '.wtitle(w)
		do for [i=1:3] {
			s = word(sizes, i)
			set xlabel (i == 3 ? 'simulated time (ms)' : '')
			set title 'fast node: '.s.'% of the working set' font ',18' offset 0,-0.6
			set ylabel '% on fast'
			if (i == 1) { set key } else { unset key }
			plot for [j=1:4] out.'/data/'.w.'-'.s.'-'.word(policies, j).'.dat' \
				using 1:2 with steps lt (j == 4 ? 8 : j) title word(policies, j)
		}
		unset multiplot
		unset output
	}
}
unset title
set xlabel 'fast node size (% of the working set)'
set xrange [20:80]
set xtics 25, 25, 75
set key
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	set output out.'/share.'.t
	set multiplot layout 1,2 title 'Share of all accesses served by the fast tier, per promotion policy'
	set lmargin
	set rmargin
	do for [i=1:2] {
		w = word(workloads, i)
		set title (w eq "zipf" ? "phase-changing Zipf" : "pre-forking server") font ',20'
		set ylabel (i == 1 ? 'accesses served by the fast tier (%)' : '')
		if (i == 2) { set key outside right top } else { unset key }
		plot for [j=1:4] out.'/data/share-'.w.'.dat' using 1:(column(j + 1)) \
			with linespoints lt (j == 4 ? 8 : j) title word(policies, j)
	}
	unset multiplot
	unset output
}
