/*
 * gen_common.c — seeded streams, the table-free permutation, the page samplers and the
 * single-process driver shared by seq, uniform, zipf, hotcold, loop and phases (see
 * gen_common.h for the layout and the invariants).
 *
 * The driver is a small state machine: it answers one operation per call and keeps only
 * counters, so its memory does not depend on the number of accesses.
 */
#include "workloads/gen_common.h"

#include <math.h>
#include <stdlib.h>

gsl_rng *gen_rng_create(uint64_t seed, uint64_t stream)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	BUG_ON(!r, "gsl_rng_alloc failed");
	/* mt19937 takes an unsigned long seed; mixing makes neighbouring streams unrelated. */
	gsl_rng_set(r, (unsigned long)mix64(seed ^ mix64(stream + 0x5eedull)));
	return r;
}

void gen_perm_init(struct gen_perm *p, uint64_t n, uint64_t seed)
{
	BUG_ON(n == 0, "empty domain");
	unsigned bits = 0;
	while (bits < 64 && (1ull << bits) < n)
		bits++;
	p->n = n;
	p->half_bits = bits ? (bits + 1) / 2 : 1;
	p->half_mask = (1ull << p->half_bits) - 1;
	for (int i = 0; i < 4; i++)
		p->keys[i] = mix64(seed ^ mix64(0x9e37ull + (uint64_t)i));
}

static uint64_t perm_feistel(const struct gen_perm *p, uint64_t x)
{
	uint64_t l = x >> p->half_bits, r = x & p->half_mask;
	for (int i = 0; i < 4; i++) {
		uint64_t t = l ^ (mix64(r ^ p->keys[i]) & p->half_mask);
		l = r;
		r = t;
	}
	return (l << p->half_bits) | r;
}

uint64_t gen_perm_apply(const struct gen_perm *p, uint64_t x)
{
	BUG_ON(x >= p->n, "%llu outside [0, %llu)", (unsigned long long)x,
	       (unsigned long long)p->n);
	/* Cycle-walking: a bijection on [0, 4^h) restricted to [0, n) stays a bijection. */
	do
		x = perm_feistel(p, x);
	while (x >= p->n);
	return x;
}

int gen_sampler_init(struct gen_sampler *s, const struct gen_sampler_conf *c, uint64_t seed,
                     const char *file, const char *path, struct err *err)
{
	*s = (struct gen_sampler){.dist = c->dist, .pages = c->pages, .permute = c->permute};
	BUG_ON(c->pages == 0, "a sampler over no pages");
	switch (c->dist) {
	case GEN_DIST_SEQ:
		s->stride_pages = c->stride_pages ? c->stride_pages : 1;
		if (s->stride_pages > c->pages)
			return err_set(
			    err, "%s: %s.stride_pages: expected at most pages (%llu), got %llu",
			    file, path, (unsigned long long)c->pages,
			    (unsigned long long)s->stride_pages);
		break;
	case GEN_DIST_UNIFORM:
		break;
	case GEN_DIST_ZIPF:
		zipf_sampler_init(&s->zipf, c->pages, c->alpha);
		break;
	case GEN_DIST_HOTCOLD: {
		double hot = floor(c->hot_fraction_pages * (double)c->pages + 0.5);
		if (hot < 1 || hot >= (double)c->pages)
			return err_set(err,
			               "%s: %s.hot_fraction_pages: %g of %llu pages leaves no hot "
			               "or no cold page (expected 1 .. pages-1 hot pages)",
			               file, path, c->hot_fraction_pages,
			               (unsigned long long)c->pages);
		s->hot_pages = (uint64_t)hot;
		s->hot_accesses = c->hot_fraction_accesses;
		break;
	}
	}
	if (s->permute)
		gen_perm_init(&s->perm, c->pages, seed);
	return 0;
}

void gen_sampler_rewind(struct gen_sampler *s)
{
	s->pos = 0;
}

/* gen_sampler_next, inline in the batch loop (one switch, no call, per access). */
static inline __attribute__((always_inline)) uint64_t sampler_next(struct gen_sampler *s,
                                                                   gsl_rng *rng)
{
	uint64_t page = 0;
	switch (s->dist) {
	case GEN_DIST_SEQ:
		page = s->pos;
		s->pos += s->stride_pages;
		if (s->pos >= s->pages)
			s->pos = 0;
		return page;
	case GEN_DIST_UNIFORM:
		return gsl_rng_uniform_int(rng, s->pages);
	case GEN_DIST_ZIPF:
		page = zipf_sampler_next(&s->zipf, rng) - 1;
		break;
	case GEN_DIST_HOTCOLD:
		if (gsl_rng_uniform(rng) < s->hot_accesses)
			page = gsl_rng_uniform_int(rng, s->hot_pages);
		else
			page = s->hot_pages + gsl_rng_uniform_int(rng, s->pages - s->hot_pages);
		break;
	}
	return s->permute ? gen_perm_apply(&s->perm, page) : page;
}

uint64_t gen_sampler_next(struct gen_sampler *s, gsl_rng *rng)
{
	return sampler_next(s, rng);
}

int gen_apply_duration(uint64_t *accesses, uint64_t compute_ns, uint64_t duration_ns,
                       const struct workload_env *env, struct err *err)
{
	if (!duration_ns)
		return 0;
	if (!compute_ns)
		return err_set(err,
		               "%s: %s.duration_ns: needs compute_ns > 0 (a generator counts "
		               "its duration in its own compute time)",
		               env->config_file, env->config_path);
	uint64_t n = duration_ns / compute_ns;
	if (n == 0)
		return err_set(err,
		               "%s: %s.duration_ns: %llu ns is shorter than one access "
		               "(compute_ns = %llu)",
		               env->config_file, env->config_path, (unsigned long long)duration_ns,
		               (unsigned long long)compute_ns);
	*accesses = MIN(*accesses, n);
	return 0;
}

/* ---- the single-process driver ---- */

enum single_state {
	SINGLE_MMAP,    /* next: map the region */
	SINGLE_ACCESS,  /* next: an access (or move to the next phase) */
	SINGLE_COMPUTE, /* next: the compute after an access */
	SINGLE_DONE,    /* the stream has ended */
};

struct gen_single {
	struct gen_phase *phases; /* owned */
	size_t nr_phases;
	size_t cur;             /* the running phase */
	uint64_t done_in_phase; /* accesses of the running phase so far */
	uint64_t repeat, round; /* the phase list runs repeat times; round counts from 0 */
	uint64_t limit;         /* total accesses allowed (from duration_ns), UINT64_MAX: none */
	uint64_t done;          /* accesses emitted */
	uint64_t region_pages;
	uint64_t page_size;
	double write_fraction;
	uint64_t compute_ns;
	enum single_state state;
	gsl_rng *rng; /* owned */
};

int gen_single_create(struct workload **out, struct gen_phase *phases, size_t nr_phases,
                      const struct gen_single_conf *c, const struct workload_env *env,
                      struct err *err)
{
	BUG_ON(nr_phases == 0 || c->repeat == 0 || env->page_size == 0 ||
	           (env->page_size & (env->page_size - 1)),
	       "bad single conf");
	uint64_t region = 0, total = 0;
	for (size_t i = 0; i < nr_phases; i++) {
		region = MAX(region, phases[i].offset_pages + phases[i].sampler.pages);
		total += phases[i].accesses;
	}
	uint64_t max_pages = gen_region_max_pages(env->page_size);
	if (region > max_pages) {
		free(phases);
		return err_set(err,
		               "%s: %s: the %s region of %llu pages is larger than the %llu "
		               "pages a generated region may span (1 TiB)",
		               env->config_file, env->config_path, c->name,
		               (unsigned long long)region, (unsigned long long)max_pages);
	}
	uint64_t limit = UINT64_MAX;
	if (c->duration_ns) {
		limit = total * c->repeat;
		int rc = gen_apply_duration(&limit, c->compute_ns, c->duration_ns, env, err);
		if (rc) {
			free(phases);
			return rc;
		}
	}
	struct gen_single *g = xcalloc(1, sizeof(*g));
	g->phases = phases;
	g->nr_phases = nr_phases;
	g->repeat = c->repeat;
	g->limit = limit;
	g->region_pages = region;
	g->page_size = env->page_size;
	g->write_fraction = c->write_fraction;
	g->compute_ns = c->compute_ns;
	g->state = SINGLE_MMAP;
	g->rng = gen_rng_create(env->seed, GEN_INITIAL_PID);
	gen_sampler_rewind(&phases[0].sampler);
	*out = (struct workload *)g;
	return 0;
}

uint32_t gen_single_initial_pid(const struct workload *w)
{
	return GEN_INITIAL_PID;
}

/* Move past finished phases; false when the whole stream is done. */
static bool single_advance(struct gen_single *g)
{
	if (g->done >= g->limit)
		return false;
	while (g->done_in_phase >= g->phases[g->cur].accesses) {
		g->done_in_phase = 0;
		if (++g->cur == g->nr_phases) {
			g->cur = 0;
			if (++g->round == g->repeat)
				return false;
		}
		gen_sampler_rewind(&g->phases[g->cur].sampler);
	}
	return true;
}

static inline int single_next(struct gen_single *g, struct op *op)
{
	*op = (struct op){.pid = GEN_INITIAL_PID};
	switch (g->state) {
	case SINGLE_MMAP:
		op->kind = OP_MMAP;
		op->addr = GEN_BASE_ADDR;
		op->len = g->region_pages * g->page_size;
		op->prot = PROT_R | PROT_W;
		g->state = SINGLE_ACCESS;
		return 1;
	case SINGLE_COMPUTE:
		op->kind = OP_COMPUTE;
		op->arg = g->compute_ns;
		g->state = SINGLE_ACCESS;
		return 1;
	case SINGLE_ACCESS: {
		if (!single_advance(g)) {
			op->kind = OP_EXIT;
			g->state = SINGLE_DONE;
			return 1;
		}
		struct gen_phase *ph = &g->phases[g->cur];
		uint64_t page = ph->offset_pages + gen_sampler_next(&ph->sampler, g->rng);
		/* Exactly 0 and 1 draw nothing, so an all-read stream does not depend on them. */
		bool write = g->write_fraction >= 1 ||
		             (g->write_fraction > 0 && gsl_rng_uniform(g->rng) < g->write_fraction);
		op->kind = write ? OP_WRITE : OP_READ;
		op->addr =
		    GEN_BASE_ADDR + page * g->page_size + gen_page_offset(g->done, g->page_size);
		g->done++;
		g->done_in_phase++;
		g->state = g->compute_ns ? SINGLE_COMPUTE : SINGLE_ACCESS;
		return 1;
	}
	case SINGLE_DONE:
		return 0;
	}
	return 0;
}

int gen_single_next(struct workload *w, uint32_t pid, struct op *op, struct err *err)
{
	BUG_ON(pid != GEN_INITIAL_PID, "pid %u is not the generator's process", pid);
	return single_next((struct gen_single *)w, op);
}

/*
 * The batch loop for a sequential phase whose accesses draw nothing (all reads or all writes):
 * the same ops as sampler_next and single_next's address, with the page's address and the
 * in-page offset advanced incrementally. Fills ops[0..run); returns run.
 */
static uint32_t single_seq_run(struct gen_single *g, struct gen_phase *ph, struct op *ops,
                               uint32_t run)
{
	struct gen_sampler *s = &ph->sampler;
	uint8_t kind = g->write_fraction >= 1 ? OP_WRITE : OP_READ;
	uint64_t pos = s->pos, stride = s->stride_pages, pages = s->pages;
	uint64_t ps = g->page_size, mask = ps - 1;
	uint64_t base = GEN_BASE_ADDR + ph->offset_pages * ps;
	uint64_t page_addr = pos * ps, step = stride * ps;
	uint64_t off = gen_page_offset(g->done, ps); /* (counter * 64) & mask, stepped by 64 */
	for (uint32_t n = 0; n < run; n++) {
		ops[n] = (struct op){.kind = kind, .pid = GEN_INITIAL_PID, .addr = base + page_addr + off};
		pos += stride;
		page_addr += step;
		if (pos >= pages)
			pos = page_addr = 0;
		off = (off + 64) & mask;
	}
	s->pos = pos;
	return run;
}

int gen_single_next_batch(struct workload *w, uint32_t pid, struct op *ops, uint32_t max,
                          struct err *err)
{
	struct gen_single *g = (struct gen_single *)w;
	BUG_ON(pid != GEN_INITIAL_PID, "pid %u is not the generator's process", pid);
	uint32_t n = 0;
	/* Without compute ops, a batch is mostly a run of accesses of one phase: made here
	 * without single_next's state switch and phase checks per op (the same stream). */
	if (g->state == SINGLE_ACCESS && !g->compute_ns) {
		if (!single_advance(g)) { /* (single_advance must not run again after this) */
			ops[0] = (struct op){.kind = OP_EXIT, .pid = GEN_INITIAL_PID};
			g->state = SINGLE_DONE;
			return 1;
		}
		struct gen_phase *ph = &g->phases[g->cur];
		uint64_t run = MIN((uint64_t)max, ph->accesses - g->done_in_phase);
		run = MIN(run, g->limit - g->done);
		if (ph->sampler.dist == GEN_DIST_SEQ &&
		    (g->write_fraction >= 1 || !(g->write_fraction > 0)))
			n = single_seq_run(g, ph, ops, (uint32_t)run);
		for (; n < run; n++) {
			uint64_t page = ph->offset_pages + sampler_next(&ph->sampler, g->rng);
			bool write =
			    g->write_fraction >= 1 ||
			    (g->write_fraction > 0 && gsl_rng_uniform(g->rng) < g->write_fraction);
			ops[n] = (struct op){
			    .kind = write ? OP_WRITE : OP_READ,
			    .pid = GEN_INITIAL_PID,
			    .addr = GEN_BASE_ADDR + page * g->page_size +
			            gen_page_offset(g->done + n, g->page_size),
			};
		}
		g->done += n;
		g->done_in_phase += n;
	}
	while (n < max && single_next(g, &ops[n])) {
		uint8_t kind = ops[n++].kind;
		if (kind > OP_EXEC && kind != OP_COMPUTE)
			break; /* the mmap or the exit ends a batch */
	}
	return (int)n;
}

void gen_single_close(struct workload *w)
{
	struct gen_single *g = (struct gen_single *)w;
	if (!g)
		return;
	gsl_rng_free(g->rng);
	free(g->phases);
	free(g);
}

int gen_single_open_one(struct workload **out, const json_t *params, const struct workload_env *env,
                        const struct gen_sampler_conf *sc, const char *name, struct err *err)
{
	struct gen_phase *ph = xcalloc(1, sizeof(*ph));
	int rc =
	    gen_sampler_init(&ph->sampler, sc, env->seed, env->config_file, env->config_path, err);
	if (rc) {
		free(ph);
		return rc;
	}
	ph->accesses = (uint64_t)params_get_int(params, "accesses");
	struct gen_single_conf c = {
	    .name = name,
	    .write_fraction = params_get_real(params, "write_fraction"),
	    .compute_ns = (uint64_t)params_get_int(params, "compute_ns"),
	    .duration_ns = (uint64_t)params_get_int(params, "duration_ns"),
	    .repeat = 1,
	};
	return gen_single_create(out, ph, 1, &c, env, err);
}
