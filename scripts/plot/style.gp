# style.gp — the common look of vmsim plots: slide-sized canvases, large fonts, thick lines,
# no enhanced-text surprises with '_' in names, and eight series styles that differ in colour,
# dash pattern AND marker (colour-blind safe: Okabe-Ito hues, yellow replaced by wine; each
# style stays distinct in greyscale print through its dash and marker). A panel never holds
# more than eight series: vmsim plot splits more into small multiples. Style 8 (black, long
# dashes, open circles) is the reference: OPT in the fault curves.
# Loaded by the other scripts; `vmsim plot` passes outbase (output path without extension).
png_term = "set terminal pngcairo size 1600,1000 noenhanced font 'DejaVu Sans,20' linewidth 2"
svg_term = "set terminal svg size 1600,1000 dynamic noenhanced font 'DejaVu Sans,20' linewidth 2"
set termoption noenhanced
set title font ',24'
set encoding utf8
set border 3 lw 1.5
set tics nomirror out
set grid xtics ytics lc rgb '#d0d0d0' lw 1 dt 3
set key outside right top box opaque samplen 3 spacing 1.2
set linetype 1 lc rgb '#0072B2' lw 2 dt 1 pt 7 ps 1.4
set linetype 2 lc rgb '#D55E00' lw 2 dt (10,5) pt 5 ps 1.3
set linetype 3 lc rgb '#009E73' lw 2 dt (16,4,3,4) pt 9 ps 1.6
set linetype 4 lc rgb '#CC79A7' lw 2 dt (3,4) pt 11 ps 1.6
set linetype 5 lc rgb '#E69F00' lw 2 dt (16,4,3,4,3,4) pt 13 ps 1.6
set linetype 6 lc rgb '#56B4E9' lw 2 dt (24,6) pt 4 ps 1.4
set linetype 7 lc rgb '#882255' lw 2 dt (6,3,6,9) pt 8 ps 1.6
set linetype 8 lc rgb '#000000' lw 2 dt (12,6) pt 6 ps 1.4
set linetype cycle 8
