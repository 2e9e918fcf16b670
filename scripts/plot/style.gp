# style.gp — the common look of vmsim plots: slide-sized canvases, large fonts, thick lines,
# a colour-blind-safe palette (Okabe-Ito), no enhanced-text surprises with '_' in names.
# Loaded by the other scripts; `vmsim plot` passes outbase (output path without extension).
png_term = "set terminal pngcairo size 1600,1000 noenhanced font 'DejaVu Sans,20' linewidth 2"
svg_term = "set terminal svg size 1600,1000 dynamic noenhanced font 'DejaVu Sans,20' linewidth 2"
set termoption noenhanced
set title font ',24'
set encoding utf8
set border 3 lw 1.5
set tics nomirror out
set grid xtics ytics lc rgb '#d0d0d0' lw 1 dt 3
set key outside right top box opaque samplen 2 spacing 1.2
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 1.3
set linetype 2 lc rgb '#D55E00' lw 2 pt 5 ps 1.3
set linetype 3 lc rgb '#009E73' lw 2 pt 9 ps 1.5
set linetype 4 lc rgb '#CC79A7' lw 2 pt 11 ps 1.5
set linetype 5 lc rgb '#E69F00' lw 2 pt 13 ps 1.5
set linetype 6 lc rgb '#56B4E9' lw 2 pt 15 ps 1.3
set linetype 7 lc rgb '#F0E442' lw 2 pt 4 ps 1.3
set linetype 8 lc rgb '#000000' lw 2 pt 6 ps 1.3
# 9..16: the same colours with other point shapes (drawn dotted by the scripts that plot many
# lines), so 16 policies stay distinguishable.
set linetype 9 lc rgb '#0072B2' lw 2 pt 1 ps 1.5
set linetype 10 lc rgb '#D55E00' lw 2 pt 2 ps 1.5
set linetype 11 lc rgb '#009E73' lw 2 pt 3 ps 1.5
set linetype 12 lc rgb '#CC79A7' lw 2 pt 8 ps 1.5
set linetype 13 lc rgb '#E69F00' lw 2 pt 10 ps 1.5
set linetype 14 lc rgb '#56B4E9' lw 2 pt 12 ps 1.5
set linetype 15 lc rgb '#999999' lw 2 pt 14 ps 1.5
set linetype 16 lc rgb '#000000' lw 2 pt 1 ps 1.5
set linetype cycle 16
