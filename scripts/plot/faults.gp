# faults.gp — fault curves: page faults against memory size, one series per replacement
# policy, OPT (Belady) in style 8 (black, dashed) as the lower bound the others stay above.
# Memory size in frames on the bottom axis and in bytes on the top axis. With several seeds a
# point is the mean and the shaded band its 95% confidence interval (Student t).
# Variables (set by the vars file `vmsim plot` writes beside the data, run before this script):
# scriptdir, outbase, datafile (blocks separated by two blank lines, rows "frames bytes
# faults_mean faults_ci95 seeds faults_per_ref"), titles (one double-quoted word per block),
# plottitle, subtitle, logx (1: sizes span a factor of 16 or more: log2 axis), fmin, fmax
# (the smallest and largest size), frame_tics (the sizes given a tic), frame_bytes
# (bytes per frame, 0: unknown), byte_unit, byte_size, ymax, ymin_log, ymax_ref (the y ranges,
# shared by the panels), band (1: draw the CI band), yform
# ('linear', 'log' or 'ref': faults / refname's faults), refname, npanels, and per panel p
# panel<p>_blocks / panel<p>_styles (block numbers and their linetypes).
# Edit yform, logx or a panel's blocks and rerun: gnuplot <name>.vars.gp faults.gp
load scriptdir.'/style.gp'
set datafile separator whitespace
set xlabel 'memory size (frames)'
# one tic per swept memory size (at most ten): frames below, the same sizes in bytes above
if (logx) {
	set logscale x 2
	set logscale x2 2
	set xrange [fmin / 1.15:fmax * 1.15]
	set x2range [fmin / 1.15:fmax * 1.15]
} else {
	pad = (fmax > fmin) ? 0.04 * (fmax - fmin) : 1
	set xrange [fmin - pad:fmax + pad]
	set x2range [fmin - pad:fmax + pad]
}
set xtics () nomirror out
do for [f in frame_tics] { set xtics add (sprintf('%g', f + 0) f + 0) }
if (frame_bytes > 0) {
	set x2tics () nomirror out
	# numbers only, the unit after the largest, so that neighbouring labels never touch
	do for [i=1:words(frame_tics)] {
		f = word(frame_tics, i) + 0
		set x2tics add (sprintf('%g%s', f * frame_bytes / byte_size, \
			i == words(frame_tics) ? ' '.byte_unit : '') f)
	}
}
if (yform eq 'log') {
	set logscale y 10
	set ylabel 'page faults (log scale)'
	set yrange [ymin_log / 1.3:ymax * 1.3]
	if (ymax / ymin_log < 8) {
		# less than a factor of eight: 1-1.5-2-3-4-5-6-8 tics in each decade
		set ytics ()
		d0 = floor(log10(ymin_log / 1.3))
		do for [d=d0:d0+1] {
			do for [m in "1 1.5 2 3 4 5 6 8"] { set ytics add ((m + 0) * 10.0**d) }
		}
		if (ymin_log >= 10000) { set format y '%.0s%c' } else { set format y '%g' }
	} else { if (ymax / ymin_log < 1000) {
		# less than three decades: tics at factors of two, labelled 16k, 32k, ...
		set ytics 10**floor(log10(ymin_log)), 2
		if (ymin_log >= 10000) { set format y '%.0s%c' } else { set format y '%g' }
	} else {
		set format y '10^{%T}'
		set termoption enhanced
	} }
} else { if (yform eq 'ref') {
	set ylabel 'page faults / '.refname.' page faults'
	set yrange [0:ymax_ref * 1.05]
} else {
	set ylabel 'page faults'
	set yrange [0:ymax * 1.05]
	# 140k rather than 140000; below 100000 the plain number (1.2k would read as 1k)
	if (ymax >= 100000) { set format y '%.0s%c' } else { set format y '%g' }
} }
ycol(c) = (yform eq 'ref') ? column(6) * column(c) / column(3) : column(c)
ylo(x) = (yform eq 'log') ? ((x > 0) ? x : NaN) : x
set key opaque noenhanced
rows = (npanels > 3) ? 2 : 1
cols = (npanels + rows - 1) / rows
fulltitle = plottitle.(subtitle ne '' ? "\n".subtitle : '')
do for [t in "png svg"] {
	if (t eq "png") { @png_term } else { @svg_term }
	if (yform eq 'log' && ymax / ymin_log >= 1000) { set termoption enhanced }
	set output outbase.'.'.t
	if (npanels > 1) {
		# small multiples: one y range, each panel's legend below it
		set key below nobox noopaque font ',15' spacing 1.0 samplen 2.5
		# one bottom margin for all panels (room for the longest legend), so they line up
		maxrows = 0
		do for [p=1:npanels] { n = words(value('panel'.p.'_blocks')); maxrows = (n > maxrows) ? n : maxrows }
		set bmargin maxrows * 0.8 + 4
		set xtics font ',16'
		set x2tics font ',16'
		set multiplot layout rows,cols title fulltitle noenhanced
		unset title
	} else {
		set key outside right top
		set title fulltitle noenhanced
	}
	do for [p=1:npanels] {
		bl = value('panel'.p.'_blocks')
		st = value('panel'.p.'_styles')
		plot for [i=1:words(bl)] datafile index (word(bl, i) - 1) \
			using 1:(ylo(ycol(3) - ycol(4))):(ycol(3) + ycol(4)) \
			with filledcurves lc (word(st, i) + 0) fs transparent solid (band ? 0.18 : 0) \
			notitle, \
		     for [i=1:words(bl)] datafile index (word(bl, i) - 1) using 1:(ylo(ycol(3))) \
			with linespoints lt (word(st, i) + 0) title word(titles, word(bl, i) + 0)
	}
	if (npanels > 1) { unset multiplot }
	unset output
}
