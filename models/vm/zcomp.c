/*
 * zcomp.c — the compression model of zswap and zram (Linux compresses each page with a crypto
 * compressor: drivers/block/zram/zcomp.c, mm/zswap.c): each algorithm's preset (ratio, and
 * the cost of compressing and decompressing one 4 KiB page as a distribution), the size a page
 * compresses to, and the cost draws. vmsim moves no data: what a page compresses to comes from
 * its workload's compressibility class (workload.compression_ratio, same_filled_percent,
 * incompressible_percent), decided per page by a hash of its stable key, so the same page
 * compresses the same way every time it is swapped out.
 *
 * The presets (docs/vm.md, "Compressed swap", cites them): the decompression costs and ratios
 * are the measurement (lz4 1.7 us mean, 3.6 us p99 at ratio 2.6; zstd 5.7 and 13.1 us
 * at 3.4); compression costs are those times the ratio of decompression to compression speed
 * that zstd's README reports with lzbench on the Silesia corpus (Core i9-9900K, gcc 9.3: lz4
 * 1.9.2 740 MB/s compression and 4530 MB/s decompression; zstd 1.4.5 -1 500 and 1660 MB/s).
 */
#include "models/vm/internal.h"

/* clang-format off */
static const struct zcomp_alg zcomp_algs[] = {
	/* name   ratio  comp mean  comp p99   decomp mean, p99 */
	{"lz4",   2600,  10406757,  22037838,  1700000,  3600000},  /* x 4530/740 */
	{"zstd",  3400,  18924000,  43492000,  5700000, 13100000},  /* x 1660/500 */
};
/* clang-format on */
const char zcomp_alg_choices[] = "lz4|zstd";

const struct zcomp_alg *zcomp_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(zcomp_algs); i++)
		if (!strcmp(zcomp_algs[i].name, name))
			return &zcomp_algs[i];
	return NULL;
}

/* -ln(1 - (k + 0.5) / 100) x 10^6, k = 0..99: the midpoint quantiles of the unit exponential
 * (python3: round(-math.log(1 - (k + 0.5) / 100) * 1e6)). Their sum is 99653844; [98] is the
 * 99th percentile of the 100 values. */
static const uint32_t exp_quantile_ppm[100] = {
    5013,    15114,   25318,   35627,   46044,   56570,   67209,   77962,   88831,   99820,
    110932,  122168,  133531,  145026,  156654,  168419,  180324,  192372,  204567,  216913,
    229413,  242072,  254892,  267879,  281038,  294371,  307885,  321584,  335473,  349557,
    363843,  378336,  393043,  407968,  423120,  438505,  454130,  470004,  486133,  502527,
    519194,  536143,  553385,  570930,  588787,  606969,  625489,  644357,  663588,  683197,
    703198,  723606,  744440,  765718,  787458,  809681,  832409,  855666,  879477,  903868,
    928870,  954512,  980829,  1007858, 1035637, 1064211, 1093625, 1123930, 1155183, 1187444,
    1220780, 1255266, 1290984, 1328025, 1366492, 1406497, 1448170, 1491655, 1537117, 1584745,
    1634756, 1687399, 1742969, 1801810, 1864330, 1931022, 2002481, 2079442, 2162823, 2253795,
    2353878, 2465104, 2590267, 2733368, 2900422, 3101093, 3352407, 3688879, 4199705, 5298317,
};
#define EXP_QUANTILE_SUM 99653844ull

void zcomp_cost_init(struct zcomp_cost *c, uint64_t mean_ps, uint64_t p99_ps)
{
	/* mean = min + scale * sum/10^8 and p99 = min + scale * q98/10^6, solved in integers:
	 * scale_pps = scale x 10^6 (ps per unit), the values rounded down. */
	uint64_t q98 = exp_quantile_ppm[98];
	uint64_t ebar = EXP_QUANTILE_SUM / 100; /* the mean quantile, x10^6 */
	uint64_t scale = p99_ps > mean_ps ? (p99_ps - mean_ps) * 1000000ull / (q98 - ebar) : 0;
	uint64_t shift = scale * ebar / 1000000ull;
	uint64_t min = mean_ps > shift ? mean_ps - shift : 0;
	for (int k = 0; k < 100; k++)
		c->value_ps[k] = min + scale * exp_quantile_ppm[k] / 1000000ull;
	c->n = 0;
}

uint64_t zcomp_cost_draw(struct zcomp_cost *c)
{
	uint64_t k = (37 * c->n + 11) % 100;
	c->n++;
	return c->value_ps[k];
}

/* The region of cls that holds the anonymous page with key (page_key: its address is the
 * low 45 bits in pages; page-cache keys have the top bit set), NULL: none. */
static const struct zcomp_region *zcomp_region_of(const struct zcomp_class *cls, uint64_t key)
{
	if (!cls->nr_regions || key >> 63)
		return NULL;
	uint64_t addr = (key & ((1ull << 45) - 1)) << PTE_SHIFT;
	for (uint32_t i = 0; i < cls->nr_regions; i++) {
		const struct zcomp_region *r = &cls->regions[i];
		if (addr >= r->addr && addr - r->addr < r->bytes)
			return r;
	}
	return NULL;
}

/* What the page with key (of class zclass) compresses to: its kind, and *bytes for a page in
 * the pool; huge_bytes: sizes from here up are incompressible. */
enum zcomp_kind zcomp_page(const struct vm *vm, uint64_t key, uint16_t zclass, uint32_t huge_bytes,
                           uint32_t *bytes)
{
	const struct zcomp_state *zc = vm->zc;
	struct zcomp_class def = {0};
	const struct zcomp_class *cls =
	    zclass && zclass <= vm->cfg.nr_zclasses ? &vm->cfg.zclasses[zclass - 1] : &def;
	const struct zcomp_region *r = zcomp_region_of(cls, key);
	uint32_t same = r ? r->same_filled_percent : cls->same_filled_percent;
	uint32_t incomp = r ? r->incompressible_percent : cls->incompressible_percent;
	uint32_t ratio = r ? r->ratio_milli : cls->ratio_milli;
	uint64_t h = mix64(key ^ zc->seed) % 100;
	if (h < same)
		return ZC_SAME;
	ratio = ratio ? ratio : zc->alg->ratio_milli;
	uint64_t ps = vm->cfg.page_size;
	uint64_t b = h < (uint64_t)same + incomp
	                 ? ps
	                 : (ps * 1000 + ratio - 1) / ratio;
	*bytes = (uint32_t)b;
	return b >= huge_bytes ? ZC_HUGE : ZC_POOL;
}

/* ---- the state ------------------------------------------------------------------------------ */

void zcomp_init(struct vm *vm)
{
	const struct zcomp_alg *alg = vm->cfg.zram.enabled    ? vm->cfg.zram.alg
	                              : vm->cfg.zswap.enabled ? vm->cfg.zswap.alg
	                                                      : NULL;
	if (!alg)
		return;
	struct zcomp_state *zc = xcalloc(1, sizeof(*zc));
	uint64_t s = vm->cfg.swap_pages ? vm->cfg.swap_pages : 1;
	zc->alg = alg;
	zc->seed = mix64(vm->cfg.seed ^ 0x7a636f6d70000000ull);
	zcomp_cost_init(&zc->comp, alg->comp_mean_ps, alg->comp_p99_ps);
	zcomp_cost_init(&zc->decomp, alg->decomp_mean_ps, alg->decomp_p99_ps);
	zc->kind = xcalloc(s, sizeof(*zc->kind));
	zc->bytes = xcalloc(s, sizeof(*zc->bytes));
	zc->lru_seq = xcalloc(s, sizeof(*zc->lru_seq));
	hist_init(&zc->decomp_hist);
	vm->zc = zc;
}

void zcomp_fini(struct vm *vm)
{
	struct zcomp_state *zc = vm->zc;
	if (!zc)
		return;
	free(zc->kind);
	free(zc->bytes);
	free(zc->lru_seq);
	free(zc->lru);
	free(zc->pool.frames);
	hist_fini(&zc->decomp_hist);
	free(zc);
	vm->zc = NULL;
}

uint64_t zcomp_compress_cost(struct vm *vm, struct fault_work *w)
{
	uint64_t ps = zcomp_cost_draw(&vm->zc->comp);
	vm->zc->comp_ps += ps;
	w->zcomp_ps += ps;
	return ps;
}

uint64_t zcomp_decompress_cost(struct vm *vm, struct fault_work *w)
{
	uint64_t ps = zcomp_cost_draw(&vm->zc->decomp);
	vm->zc->decomp_ps += ps;
	hist_record(&vm->zc->decomp_hist, ps);
	if (w)
		w->zcomp_ps += ps;
	return ps;
}

/* zram.* or zswap.*: what both report. */
void zcomp_report(const struct vm *vm, struct statsout *o)
{
	const struct zcomp_state *zc = vm->zc;
	if (!zc)
		return;
	const char *p = vm->cfg.zram.enabled ? "zram" : "zswap";
	statsout_u64(o, p, "stored_pages", zc->stored_pages);
	statsout_u64(o, p, "pool_frames", zc->pool.nr_frames);
	statsout_u64(o, p, "pool_frames_max", zc->pool.frames_max);
	statsout_u64(o, p, "compressed_bytes", zc->pool.bytes);
	statsout_u64(o, p, "same_filled", zc->same_filled);
	statsout_u64(o, p, "rejected", zc->rejected);
	statsout_u64(o, p, "stores", zc->stores);
	statsout_u64(o, p, "loads", zc->loads);
	statsout_u64(o, p, "compress_ps", zc->comp_ps);
	statsout_u64(o, p, "decompress_ps", zc->decomp_ps);
	char *h = xasprintf("%s.decompress", p);
	statsout_hist(o, h, &zc->decomp_hist);
	free(h);
	if (vm->cfg.zram.enabled) {
		statsout_u64(o, p, "huge_pages", zc->huge_pages);
		statsout_u64(o, p, "backing_reads", zc->backing_reads);
		statsout_u64(o, p, "backing_writes", zc->backing_writes);
	} else {
		statsout_u64(o, p, "writebacks", zc->writebacks);
		statsout_u64(o, p, "pool_limit_hit", zc->pool_limit_hit);
	}
}
