#include "core/scoring.h"

#include <stdlib.h>
#include <string.h>

double scoring_points(enum verdict v)
{
	switch (v) {
	case VERDICT_COMPLIANT: return 100;
	case VERDICT_PARTIAL: return 50;
	case VERDICT_NONCOMPLIANT: return 0;
	default: return -1;
	}
}

enum verdict scoring_effective(enum verdict answer, enum verdict proposal)
{
	return answer != VERDICT_NONE ? answer : proposal;
}

void scoring_compute(const struct checklist *cl, const enum verdict *effective,
		     double *article_score, double *total)
{
	double tw = 0, ts = 0;

	for (size_t a = 0; a < cl->narticles; a++) {
		const struct cl_article *art = &cl->articles[a];
		double w = 0, s = 0;

		for (size_t i = art->first_item; i < art->first_item + art->nitems; i++) {
			double pts = scoring_points(effective[i]);

			if (pts < 0)
				continue;
			w += cl->items[i].weight;
			s += cl->items[i].weight * pts;
		}
		article_score[a] = w > 0 ? s / w : -1;
		if (w > 0) {
			tw += art->weight;
			ts += art->weight * article_score[a];
		}
	}
	*total = tw > 0 ? ts / tw : -1;
}

const char *scoring_grade(const struct checklist *cl, double score)
{
	if (score < 0)
		return NULL;
	for (size_t i = 0; i < cl->ngrades; i++)
		if (score >= cl->grades[i].min)
			return cl->grades[i].name;
	return cl->ngrades ? cl->grades[cl->ngrades - 1].name : NULL;
}

/* ---- proposals ---- */

static const char *const basis_keys[PB_COUNT] = {
	[PB_NONE] = NULL, [PB_LEVEL] = "level", [PB_NO_DATA] = "no-data", [PB_NO_SUBJECTS] = "no-subjects",
	[PB_HIGH] = "high", [PB_RATE] = "rate", [PB_UNKNOWN] = "unknown", [PB_CLEAN] = "clean",
	[PB_DECIDED_RATE] = "decided-rate",
};

const char *proposal_basis_key(enum proposal_basis b)
{
	return b < PB_COUNT ? basis_keys[b] : NULL;
}

double scoring_violation_rate(const struct proposal_counts *c)
{
	long long decided = c->checked - c->unknown;

	return decided > 0 ? (double)c->violated / (double)decided : -1;
}

static struct proposal propose(enum verdict v, enum proposal_basis b)
{
	return (struct proposal){ .verdict = v, .basis = b };
}

struct proposal scoring_propose(const struct checklist *cl, const struct cl_item *it,
				const struct proposal_counts *c, int imported, enum level level)
{
	if (!(it->levels & (1u << level)))
		return propose(VERDICT_NA, PB_LEVEL);
	if (!it->nrules)
		return propose(VERDICT_NONE, PB_NONE);
	if (!c->checked)
		return imported ? propose(VERDICT_NA, PB_NO_SUBJECTS) : propose(VERDICT_NONE, PB_NO_DATA);
	if (c->high_violated)
		return propose(VERDICT_NONCOMPLIANT, PB_HIGH);
	if (c->violated)
		return propose(scoring_violation_rate(c) <= cl->partial_rate ? VERDICT_PARTIAL : VERDICT_NONCOMPLIANT,
			       PB_DECIDED_RATE);
	if (c->unknown)
		return propose(VERDICT_NONE, PB_UNKNOWN);
	return propose(VERDICT_COMPLIANT, PB_CLEAN);
}

/* ---- gain if fixed ---- */

int scoring_gain_init(struct scoring_gain *g, const struct checklist *cl, enum level level,
		      const struct scoring_item *items, const unsigned long long high_bits[INV_COUNT])
{
	size_t ni = cl->nitems ? cl->nitems : 1, na = cl->narticles ? cl->narticles : 1;

	memset(g, 0, sizeof(*g));
	g->cl = cl;
	g->items = items;
	g->level = level;
	memcpy(g->high_bits, high_bits, sizeof(g->high_bits));
	g->effective = calloc(ni, sizeof(*g->effective));
	g->scratch = calloc(ni, sizeof(*g->scratch));
	g->articles = calloc(na, sizeof(*g->articles));
	if (!g->effective || !g->scratch || !g->articles) {
		scoring_gain_release(g);
		return -1;
	}
	for (size_t i = 0; i < cl->nitems; i++)
		g->effective[i] = scoring_effective(items[i].answer, items[i].proposal);
	scoring_compute(cl, g->effective, g->articles, &g->total);
	return 0;
}

void scoring_gain_release(struct scoring_gain *g)
{
	free(g->effective);
	free(g->scratch);
	free(g->articles);
	memset(g, 0, sizeof(*g));
}

/* The scratch verdicts' total against the baseline. */
static double gain_of_scratch(struct scoring_gain *g)
{
	double total;

	scoring_compute(g->cl, g->scratch, g->articles, &total);
	return total < 0 ? -1 : total - g->total;
}

double scoring_gain_fix(struct scoring_gain *g, int kind, unsigned long long violated,
			unsigned long long unknown, unsigned long long fixed)
{
	const struct checklist *cl = g->cl;

	if (g->total < 0 || kind < 0 || kind >= INV_COUNT)
		return -1;
	memcpy(g->scratch, g->effective, cl->nitems * sizeof(*g->scratch));
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct scoring_item *s = &g->items[i];
		unsigned long long m = s->rule_bits[kind], before = violated & m, after = before & ~fixed;
		struct proposal_counts c = s->counts;

		if (!before || after == before)
			continue;
		if (s->answer != VERDICT_NONE && s->answer != s->proposal)
			continue;
		/* The subject leaves the item's violators when none of its
		 * rules is violated any more; with an unknown left, it is
		 * counted as unknown, as the score would count it. */
		if (!after) {
			c.violated--;
			if (unknown & m)
				c.unknown++;
		}
		if ((before & g->high_bits[kind]) && !(after & g->high_bits[kind]))
			c.high_violated--;
		/* The subject is in scope, so its inventory was imported. */
		g->scratch[i] = scoring_propose(cl, &cl->items[i], &c, 1, g->level).verdict;
	}
	return gain_of_scratch(g);
}

/* The rules' proposal for item i with n of its violating subjects fixed,
 * those violating a high-severity rule first. */
static enum verdict propose_fixed(const struct scoring_gain *g, size_t i, long long n)
{
	struct proposal_counts c = g->items[i].counts;

	c.violated -= n;
	c.high_violated = c.high_violated > n ? c.high_violated - n : 0;
	return scoring_propose(g->cl, &g->cl->items[i], &c, 1, g->level).verdict;
}

static int better(enum verdict a, enum verdict b)
{
	return scoring_points(a) > scoring_points(b);
}

void scoring_next_step(struct scoring_gain *g, size_t i, struct scoring_next *out)
{
	const struct scoring_item *si = &g->items[i];
	enum verdict now = propose_fixed(g, i, 0);
	long long lo = 1, hi = si->counts.violated;

	memset(out, 0, sizeof(*out));
	out->gain = -1;
	out->from = now;
	out->of = si->counts.violated;
	/* An answer that departs from the rules does not follow them. */
	if (si->answer != VERDICT_NONE && si->answer != si->proposal)
		return;
	if (hi <= 0 || (now != VERDICT_NONCOMPLIANT && now != VERDICT_PARTIAL))
		return;
	if (!better(propose_fixed(g, i, hi), now)) {
		/* Every violation fixed still proposes no better verdict: the
		 * unknown subjects must be verified first. */
		out->unknown = si->counts.unknown;
		return;
	}
	/* Fewer fixed never proposes better: search the least. */
	while (lo < hi) {
		long long mid = lo + (hi - lo) / 2;

		if (better(propose_fixed(g, i, mid), now))
			hi = mid;
		else
			lo = mid + 1;
	}
	out->found = 1;
	out->fix = lo;
	out->to = propose_fixed(g, i, lo);
	if (g->total >= 0) {
		memcpy(g->scratch, g->effective, g->cl->nitems * sizeof(*g->scratch));
		g->scratch[i] = out->to;
		out->gain = gain_of_scratch(g);
	}
}

double scoring_gain_compliant(struct scoring_gain *g, const char *item, int article)
{
	const struct checklist *cl = g->cl;

	if (g->total < 0)
		return -1;
	memcpy(g->scratch, g->effective, cl->nitems * sizeof(*g->scratch));
	for (size_t i = 0; i < cl->nitems; i++)
		if (item ? !strcmp(cl->items[i].id, item) : cl->items[i].article == article)
			if (g->scratch[i] != VERDICT_NA)
				g->scratch[i] = VERDICT_COMPLIANT;
	return gain_of_scratch(g);
}
