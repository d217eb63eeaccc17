#include "core/similar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

/*
 * How a flush works.  Names are normalized into code points and tags into
 * distinct tag strings; both become term ids through hash tables, and each
 * app's terms become a sorted set.  Terms are then renumbered by document
 * frequency (rarest first), so that the terms too common to index
 * (df > max_postings) come last in every set.
 *
 * Candidates use prefix filtering: if two sets must share at least o terms
 * to pass, then, both ordered the same way, their first |set| - o + 1 terms
 * share one.  Only the rare terms of each app's prefix are indexed and
 * probed, and every candidate is then verified on its full sets, so the
 * result is exact for every pair sharing a rare term (see similar.h).  Apps
 * with identical names or tag sets are linked apart from the index.
 */

#define DEFAULT_MAX_POSTINGS 200
#define NONE UINT32_MAX
#define MAX_APPS (UINT32_MAX / 4)
#define MAX_RAW ((size_t)UINT32_MAX / 4)	/* name and tag bytes of a unit */
#define UNIGRAM 0xFFFFFFFFu	/* second half of a 1-character name's key */

/* One app of the current unit.  name_off and tags_off index the raw bytes,
 * the other offsets the pools filled by similar_flush(). */
struct app {
	/* what judge() reads of every candidate, together */
	size_t tok_off, tag_off;
	uint32_t tok_n, tag_n;	/* distinct bigram / tag ranks, sorted */
	uint32_t cp_n;		/* normalized name, in code points */
	uint32_t tok_pfx, tag_pfx; /* how many of the ranks to index */
	uint32_t parent, size;	/* union-find; size valid at roots */
	uint32_t peer;
	long long rowid;
	long long cmin;		/* smallest rowid of the set, valid at roots */
	double best;
	int why;
	uint32_t grp, g1, g2;	/* identical-key groups: rep, two smallest */
	uint64_t h;
	size_t cp_off;
	size_t name_off, name_len, tags_off, tags_len;
};

/* A term (bigram or tag) of the unit, by rank: document frequency and the
 * slice of the postings holding the apps that index it. */
struct term {
	uint32_t df, start, fill;
};

/* The distinct terms of one kind in the current unit. */
struct vocab {
	/* by first-seen id: df, and rank (first the last app counted in df);
	 * then, by rank, marks of link_candidates() */
	uint32_t *df, *rank;
	struct term *t;		/* by rank */
	uint32_t *post;
	size_t df_cap, rank_cap, t_cap, post_cap;
	uint32_t n;		/* distinct terms */
	uint32_t rare;		/* ranks below this have df <= max_postings */
};

struct dtag {
	size_t off;
	uint32_t n;
	uint64_t h;
};

/* Open addressing, linear probing; val/slot 0 is empty. */
struct ktab {
	uint64_t *key;
	uint32_t *val;
	size_t kcap, vcap, mask;
};

struct itab {
	uint32_t *slot;
	size_t cap, mask;
};

struct affix {
	uint32_t cp[4];
	uint32_t n;
};

struct emit_row {
	long long cluster, rowid;
	uint32_t idx;
};

static const char *const suffix_words[] = {
	"app", "客户端", "小程序", "快应用", "平台", "系统", "服务", "政务",
	"掌上", "移动", "手机版", "官方",
};
static const char *const prefix_words[] = { "掌上", "移动", "智慧", "i" };
#define NSUFFIX (sizeof(suffix_words) / sizeof(suffix_words[0]))
#define NPREFIX (sizeof(prefix_words) / sizeof(prefix_words[0]))

struct similar {
	struct similar_opts o;
	struct affix suffix[NSUFFIX], prefix[NPREFIX];

	/* the current unit, as added */
	struct app *app;
	size_t n, app_cap;
	char *raw;
	size_t raw_len, raw_cap;
	size_t name_bytes, tag_bytes;
	size_t tag_items;	/* at least the number of tags */

	/* scratch of similar_flush(), kept for the next unit */
	uint32_t *cp, *tok, *tag, *tagcp, *ucp, *touched, *hist;
	size_t cp_cap, tok_cap, tag_cap, tagcp_cap, ucp_cap, touched_cap,
	       hist_cap;
	size_t tagcp_len;
	struct dtag *dtag;
	size_t dtag_cap;
	struct emit_row *rows;
	size_t rows_cap;
	struct vocab bigram, tagv;
	/* least number of shared bigrams (tags) for a Dice (Jaccard) at or
	 * above the threshold, by the sum of the two set sizes */
	uint32_t *need_name, *need_tag;
	size_t need_name_cap, need_tag_cap;
	struct ktab bigrams;
	struct itab tags, groups;
};

/* ---- memory ---- */

/* Returns p grown to hold need elements of sz bytes (cap updated), or NULL
 * with p untouched. */
static void *grow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t n;
	void *q;

	if (p && need <= *cap)
		return p;
	n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (n > SIZE_MAX / sz)
		return NULL;
	q = realloc(p, n * sz);
	if (!q)
		return NULL;
	*cap = n;
	return q;
}

#define RESERVE(p, cap, need) \
	((q_ = grow((p), &(cap), (need), sizeof(*(p)))) ? ((p) = q_, 0) : -1)

static size_t table_size(size_t entries)
{
	size_t c = 16;

	while (c / 2 < entries)
		c *= 2;
	return c;
}

static int ktab_reset(struct ktab *t, size_t entries)
{
	size_t c = table_size(entries);
	void *q_;

	if (RESERVE(t->key, t->kcap, c) || RESERVE(t->val, t->vcap, c))
		return -1;
	memset(t->val, 0, c * sizeof(*t->val));
	t->mask = c - 1;
	return 0;
}

static int itab_reset(struct itab *t, size_t entries)
{
	size_t c = table_size(entries);
	void *q_;

	if (RESERVE(t->slot, t->cap, c))
		return -1;
	memset(t->slot, 0, c * sizeof(*t->slot));
	t->mask = c - 1;
	return 0;
}

/* ---- hashing ---- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_seq(const uint32_t *v, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ n;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ v[i]) * 0x100000001b3ULL;
	return mix64(h);
}

/* Returns the id of key, giving it the next id (*nids) if it is new. */
static uint32_t ktab_id(struct ktab *t, uint64_t key, uint32_t *nids)
{
	size_t i = mix64(key) & t->mask;

	while (t->val[i]) {
		if (t->key[i] == key)
			return t->val[i] - 1;
		i = (i + 1) & t->mask;
	}
	t->key[i] = key;
	t->val[i] = ++*nids;
	return *nids - 1;
}

/* The sequence an item of an itab stands for. */
typedef const uint32_t *(*seq_fn)(const struct similar *s, uint32_t item,
				  uint32_t *n, uint64_t *h);

/* Returns the item already holding a sequence equal to item's, or stores
 * item and returns it. */
static uint32_t itab_intern(struct itab *t, const struct similar *s,
			    seq_fn get, uint32_t item)
{
	const uint32_t *a, *b;
	uint32_t an, bn, other;
	uint64_t ah, bh;
	size_t i;

	a = get(s, item, &an, &ah);
	for (i = ah & t->mask; t->slot[i]; i = (i + 1) & t->mask) {
		other = t->slot[i] - 1;
		b = get(s, other, &bn, &bh);
		if (bh == ah && bn == an && !memcmp(a, b, an * sizeof(*a)))
			return other;
	}
	t->slot[i] = item + 1;
	return item;
}

static const uint32_t *name_seq(const struct similar *s, uint32_t i,
				uint32_t *n, uint64_t *h)
{
	*n = s->app[i].cp_n;
	*h = s->app[i].h;
	return s->cp + s->app[i].cp_off;
}

static const uint32_t *tagset_seq(const struct similar *s, uint32_t i,
				  uint32_t *n, uint64_t *h)
{
	*n = s->app[i].tag_n;
	*h = s->app[i].h;
	return s->tag + s->app[i].tag_off;
}

static const uint32_t *dtag_seq(const struct similar *s, uint32_t i,
				uint32_t *n, uint64_t *h)
{
	*n = s->dtag[i].n;
	*h = s->dtag[i].h;
	return s->tagcp + s->dtag[i].off;
}

/* ---- text ---- */

/* Decodes one code point of s[0..n), n >= 1; a byte that does not start a
 * valid UTF-8 sequence is U+FFFD of length 1. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t v, min;
	size_t len, k;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2, v = s[0] & 0x1F, min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3, v = s[0] & 0x0F, min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4, v = s[0] & 0x07, min = 0x10000;
	} else {
		goto bad;
	}
	if (len > n)
		goto bad;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			goto bad;
		v = v << 6 | (s[k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

static uint32_t fold(uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	else if (c == 0x3000 || c == 0x00A0)
		c = ' ';
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	return c;
}

/* Spaces, punctuation and decoration, which do not make a name different.
 * 々 〆 〇 (U+3005-3007) are letters and stay. */
static int is_noise(uint32_t c)
{
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			 (c >= 'A' && c <= 'Z'));
	return c <= 0xBF ||			/* C1, Latin-1 punctuation, · */
	       c == 0xD7 || c == 0xF7 ||	/* × ÷ */
	       (c >= 0x2000 && c <= 0x2BFF) ||	/* punctuation, symbols, arrows */
	       (c >= 0x2E00 && c <= 0x2E7F) ||
	       (c >= 0x3000 && c <= 0x3004) ||
	       (c >= 0x3008 && c <= 0x3020) ||	/* 《》「」【】〔〕〖〗〜 … */
	       c == 0x3030 || c == 0x303D || c == 0x30FB ||
	       (c >= 0xFE00 && c <= 0xFE0F) ||	/* variation selectors */
	       (c >= 0xFE10 && c <= 0xFE1F) ||
	       (c >= 0xFE30 && c <= 0xFE6F) ||
	       c == 0xFEFF ||
	       (c >= 0xFF5F && c <= 0xFF65) ||
	       (c >= 0xFFE0 && c <= 0xFFEF) ||
	       (c >= 0x1F000 && c <= 0x1FAFF);	/* emoji */
}

static int is_tag_sep(uint32_t folded)
{
	return folded == ';' || folded == ',' || folded == 0x3001;
}

static int is_space(uint32_t folded)
{
	return folded == ' ' || (folded >= '\t' && folded <= '\r');
}

/* Appends the normalized code points of str[0..len) to out; returns how
 * many. */
static uint32_t normalize(const char *str, size_t len, uint32_t *out)
{
	const unsigned char *p = (const unsigned char *)str;
	uint32_t c, n = 0;
	size_t i = 0;

	while (i < len) {
		i += utf8_next(p + i, len - i, &c);
		c = fold(c);
		if (!is_noise(c))
			out[n++] = c;
	}
	return n;
}

static int seq_eq(const uint32_t *a, const uint32_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static void strip_unit(uint32_t *c, uint32_t *n, const uint32_t *u,
		       uint32_t un)
{
	uint32_t i = 0;

	if (un < 2)
		return;
	while (*n >= un + 2 && i + un <= *n) {
		if (seq_eq(c + i, u, un)) {
			memmove(c + i, c + i + un,
				(*n - i - un) * sizeof(*c));
			*n -= un;
		} else {
			i++;
		}
	}
}

static void strip_affixes(const struct similar *s, uint32_t **c, uint32_t *n)
{
	const struct affix *f;
	int changed;
	size_t k;

	do {
		changed = 0;
		for (k = 0; k < NSUFFIX; k++) {
			f = &s->suffix[k];
			if (*n >= f->n + 2 &&
			    seq_eq(*c + *n - f->n, f->cp, f->n)) {
				*n -= f->n;
				changed = 1;
			}
		}
		for (k = 0; k < NPREFIX; k++) {
			f = &s->prefix[k];
			/* an ASCII prefix ("i") only before a non-ASCII
			 * character, so "ideal" stays whole */
			if (*n >= f->n + 2 && seq_eq(*c, f->cp, f->n) &&
			    (f->cp[0] >= 0x80 || (*c)[f->n] >= 0x80)) {
				*c += f->n;
				*n -= f->n;
				changed = 1;
			}
		}
	} while (changed);
}

/* ---- small sets ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Sorts v[0..n) and drops duplicates; returns the new length. */
static uint32_t sort_unique(uint32_t *v, uint32_t n)
{
	uint32_t i, j, x;

	if (n > 24) {
		qsort(v, n, sizeof(*v), cmp_u32);
	} else {
		for (i = 1; i < n; i++) {
			x = v[i];
			for (j = i; j > 0 && v[j - 1] > x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	for (i = j = 0; i < n; i++)
		if (!j || v[j - 1] != v[i])
			v[j++] = v[i];
	return j;
}

static uint32_t count_common(const uint32_t *a, uint32_t an,
			     const uint32_t *b, uint32_t bn)
{
	uint32_t i = 0, j = 0, k = 0;

	while (i < an && j < bn) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else
			k++, i++, j++;
	}
	return k;
}

/* ---- vocabularies ---- */

/* Prepares v for at most max_terms distinct terms. */
static int vocab_reset(struct vocab *v, size_t max_terms)
{
	void *q_;

	if (RESERVE(v->df, v->df_cap, max_terms + 1) ||
	    RESERVE(v->rank, v->rank_cap, max_terms + 1) ||
	    RESERVE(v->t, v->t_cap, max_terms + 1))
		return -1;
	memset(v->df, 0, (max_terms + 1) * sizeof(*v->df));
	memset(v->rank, 0xFF, (max_terms + 1) * sizeof(*v->rank));
	v->n = 0;
	return 0;
}

/* Counts the distinct terms of ids[0..n), app i's, in the document
 * frequencies; returns them deduplicated at the front of ids. */
static uint32_t vocab_count(struct vocab *v, uint32_t *ids, uint32_t n,
			    uint32_t i)
{
	uint32_t k, m = 0;

	for (k = 0; k < n; k++) {
		if (v->rank[ids[k]] == i)
			continue;
		v->rank[ids[k]] = i;
		v->df[ids[k]]++;
		ids[m++] = ids[k];
	}
	return m;
}

/* Ranks the terms by document frequency, then by id (a counting sort in
 * hist, which has room for napps + 2 counters), and makes room in the
 * postings for the rare ones. */
static int vocab_rank(struct vocab *v, uint32_t *hist, size_t napps,
		      size_t maxp)
{
	uint32_t k, r, sum = 0;
	size_t total = 0;
	void *q_;

	memset(hist, 0, (napps + 2) * sizeof(*hist));
	for (k = 0; k < v->n; k++)
		hist[v->df[k]]++;
	for (k = 0; k <= napps; k++) {
		r = hist[k];
		hist[k] = sum;
		sum += r;
	}
	for (k = 0; k < v->n; k++) {
		r = hist[v->df[k]]++;
		v->rank[k] = r;
		v->t[r].df = v->df[k];
	}
	v->rare = 0;
	for (r = 0; r < v->n; r++) {
		v->t[r].start = v->t[r].fill = (uint32_t)total;
		if (v->t[r].df <= maxp) {
			total += v->t[r].df;
			v->rare = r + 1;
		}
	}
	return RESERVE(v->post, v->post_cap, total + 1);
}

/* Turns a set of term ids into the sorted set of their ranks. */
static void vocab_remap(const struct vocab *v, uint32_t *ids, uint32_t n)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		ids[k] = v->rank[ids[k]];
	sort_unique(ids, n);
}

/* How many of the first n - o + 1 ranks (the prefix two sets sharing o
 * terms must share one of) are rare enough to index. */
static uint32_t vocab_prefix(const struct vocab *v, const uint32_t *ranks,
			     uint32_t n, uint32_t o)
{
	uint32_t k, p = n - o + 1;

	for (k = 0; k < p && ranks[k] < v->rare; k++)
		;
	return k;
}

/* The fewest bigrams a name with a distinct bigrams shares with any name
 * similar to it. */
static uint32_t min_shared_name(uint32_t a, double t)
{
	uint32_t o = 1, c;

	while (o < a && 2.0 * o / ((double)a + o) < t)
		o++;
	/* a name contained in it at most 2 characters shorter misses at
	 * most 2 of its bigrams */
	c = a > 2 ? a - 2 : 1;
	return c < o ? c : o;
}

/* The fewest tags a set of a >= 2 tags shares with any similar set. */
static uint32_t min_shared_tags(uint32_t a, double t)
{
	uint32_t o = 1;

	while (o < a && (double)o / ((double)a + (o < 2 ? 2 : o) - o) < t)
		o++;
	return o;
}

/* Fills need[0..maxsum]: the least shared count with which two sets whose
 * sizes add up to sum reach threshold t, by Dice or by Jaccard, computed
 * as judge() computes them.  The least count grows with the sum. */
static int build_need(uint32_t **need, size_t *cap, uint32_t maxsum, double t,
		      int dice)
{
	uint32_t sum, sh = 1, *v;
	double d;

	if (!(v = grow(*need, cap, (size_t)maxsum + 1, sizeof(*v))))
		return -1;
	*need = v;
	v[0] = 1;
	for (sum = 1; sum <= maxsum; sum++) {
		for (; sh < sum; sh++) {
			d = dice ? 2.0 * sh / (double)sum
				 : (double)sh / ((double)sum - sh);
			if (d >= t)
				break;
		}
		v[sum] = sh;
	}
	return 0;
}

/* ---- reading a unit ---- */

/* Lists the distinct bigram ids of app i's normalized name. */
static void read_bigrams(struct similar *s, uint32_t i, size_t *tok_len)
{
	struct app *a = &s->app[i];
	const uint32_t *c = s->cp + a->cp_off;
	uint32_t *ids = s->tok + *tok_len, n = a->cp_n, k;
	uint32_t *nb = &s->bigram.n;

	a->tok_off = *tok_len;
	if (n == 1)
		ids[0] = ktab_id(&s->bigrams, (uint64_t)c[0] << 32 | UNIGRAM,
				 nb);
	for (k = 0; k + 1 < n; k++)
		ids[k] = ktab_id(&s->bigrams, (uint64_t)c[k] << 32 | c[k + 1],
				 nb);
	a->tok_n = vocab_count(&s->bigram, ids, n > 1 ? n - 1 : n, i);
	*tok_len += a->tok_n;
}

/* Splits app i's tag list into distinct tag ids at s->tag + a->tag_off. */
static void read_tags(struct similar *s, uint32_t i)
{
	struct app *a = &s->app[i];
	const unsigned char *p = (const unsigned char *)s->raw + a->tags_off;
	size_t len = a->tags_len, k = 0;
	uint32_t *ids = s->tag + a->tag_off, *ndt = &s->tagv.n;
	uint32_t n = 0, c, id, tn, *t;
	struct dtag *d;

	while (k < len) {
		t = s->tagcp + s->tagcp_len;
		tn = 0;
		while (k < len) {
			k += utf8_next(p + k, len - k, &c);
			c = fold(c);
			if (is_tag_sep(c))
				break;
			t[tn++] = c;
		}
		while (tn && is_space(t[tn - 1]))
			tn--;
		for (c = 0; c < tn && is_space(t[c]); c++)
			;
		if (c == tn)
			continue;
		memmove(t, t + c, (tn - c) * sizeof(*t));
		tn -= c;
		d = &s->dtag[*ndt];
		d->off = s->tagcp_len;
		d->n = tn;
		d->h = hash_seq(t, tn);
		id = itab_intern(&s->tags, s, dtag_seq, *ndt);
		if (id == *ndt) {
			s->tagcp_len += tn;
			++*ndt;
		}
		ids[n++] = id;
	}
	a->tag_n = vocab_count(&s->tagv, ids, n, i);
}

/* ---- clustering ---- */

static uint32_t uf_find(struct app *a, uint32_t i)
{
	while (a[i].parent != i) {
		a[i].parent = a[a[i].parent].parent;
		i = a[i].parent;
	}
	return i;
}

static void uf_union(struct app *a, uint32_t i, uint32_t j)
{
	uint32_t t;

	i = uf_find(a, i);
	j = uf_find(a, j);
	if (i == j)
		return;
	if (a[i].size < a[j].size)
		t = i, i = j, j = t;
	a[j].parent = i;
	a[i].size += a[j].size;
	if (a[j].cmin < a[i].cmin)
		a[i].cmin = a[j].cmin;
}

static int popcount2(int why)
{
	return (why & 1) + ((why >> 1) & 1);
}

/* Makes j the peer of i if it is a better one: higher score, then linked
 * both ways, then smaller rowid. */
static void offer_peer(struct app *a, uint32_t i, uint32_t j, double score,
		       int why)
{
	struct app *x = &a[i];

	if (x->peer != NONE) {
		if (score != x->best) {
			if (score < x->best)
				return;
		} else if (popcount2(why) != popcount2(x->why)) {
			if (popcount2(why) < popcount2(x->why))
				return;
		} else if (a[j].rowid >= a[x->peer].rowid) {
			return;
		}
	}
	x->peer = j;
	x->best = score;
	x->why = why;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Whether one normalized name of >= 3 characters occurs in the other, their
 * lengths differing by at most 2; shared is their number of common bigrams. */
static int contained(const struct similar *s, const struct app *a,
		     const struct app *b, uint32_t shared)
{
	const struct app *t;
	const uint32_t *hay, *needle;
	uint32_t i;

	if (a->cp_n > b->cp_n)
		t = a, a = b, b = t;
	if (a->cp_n < 3 || b->cp_n - a->cp_n > 2 || shared != a->tok_n)
		return 0;
	needle = s->cp + a->cp_off;
	hay = s->cp + b->cp_off;
	for (i = 0; i + a->cp_n <= b->cp_n; i++)
		if (seq_eq(hay + i, needle, a->cp_n))
			return 1;
	return 0;
}

/* How many of set[0..n) carry mark i, or, if i is NONE, how many are in
 * other[0..on). */
static uint32_t count_shared(const struct vocab *v, uint32_t i,
			     const uint32_t *set, uint32_t n,
			     const uint32_t *other, uint32_t on)
{
	uint32_t k, sh = 0;

	if (i == NONE)
		return count_common(set, n, other, on);
	for (k = 0; k < n; k++)
		sh += v->rank[set[k]] == i;
	return sh;
}

/* Compares apps i and j on their full sets and links them if similar.
 * Sizes alone rule most pairs out before the sets are compared.  If marked,
 * i's terms carry mark i in the vocabularies (see link_candidates). */
static void judge(struct similar *s, uint32_t i, uint32_t j, int marked)
{
	struct app *x = &s->app[i], *y = &s->app[j];
	uint32_t a, b, lo, sh, need, cmin;
	double v, score = 0;
	int why = 0;

	a = x->tok_n;
	b = y->tok_n;
	lo = min32(a, b);
	need = s->need_name[a + b];
	cmin = min32(x->cp_n, y->cp_n);
	if (lo && (lo >= need ||
		   (cmin >= 3 && x->cp_n + y->cp_n - 2 * cmin <= 2))) {
		sh = count_shared(&s->bigram, marked ? i : NONE,
				  s->tok + y->tok_off, b,
				  s->tok + x->tok_off, a);
		if (sh >= need || contained(s, x, y, sh)) {
			why |= SIMILAR_NAME;
			score = 2.0 * sh / ((double)a + b);
		}
	}
	a = x->tag_n;
	b = y->tag_n;
	lo = min32(a, b);
	need = s->need_tag[a + b];
	if (lo >= 2 && lo >= need) {
		sh = count_shared(&s->tagv, marked ? i : NONE,
				  s->tag + y->tag_off, b,
				  s->tag + x->tag_off, a);
		if (sh >= need) {
			why |= SIMILAR_TAGS;
			v = (double)sh / ((double)a + b - sh);
			if (v > score)
				score = v;
		}
	}
	if (!why)
		return;
	uf_union(s->app, i, j);
	offer_peer(s->app, i, j, score, why);
	offer_peer(s->app, j, i, score, why);
}

/* Links every app to the one with the smallest rowid among those with the
 * same normalized name (tags 0) or the same tag set (tags 1), however common
 * their terms. */
static void link_identical(struct similar *s, int tags)
{
	struct app *a = s->app;
	uint32_t i, r, n = (uint32_t)s->n;

	for (i = 0; i < n; i++) {
		a[i].grp = NONE;
		if (tags ? a[i].tag_n < 2 : !a[i].cp_n)
			continue;
		if (tags)
			a[i].h = hash_seq(s->tag + a[i].tag_off, a[i].tag_n);
		else
			a[i].h = hash_seq(s->cp + a[i].cp_off, a[i].cp_n);
		r = itab_intern(&s->groups, s, tags ? tagset_seq : name_seq, i);
		a[i].grp = r;
		if (r == i) {
			a[i].g1 = i;
			a[i].g2 = NONE;
		} else if (a[i].rowid < a[a[r].g1].rowid) {
			a[r].g2 = a[r].g1;
			a[r].g1 = i;
		} else if (a[r].g2 == NONE || a[i].rowid < a[a[r].g2].rowid) {
			a[r].g2 = i;
		}
	}
	for (i = 0; i < n; i++) {
		r = a[i].grp;
		if (r != NONE && a[r].g2 != NONE)
			judge(s, i, a[r].g1 == i ? a[r].g2 : a[r].g1, 0);
	}
}

/* Collects in s->touched the earlier apps indexing one of ranks[0..np). */
static void probe(struct similar *s, const struct vocab *v,
		  const uint32_t *ranks, uint32_t np, uint32_t i,
		  uint32_t *met)
{
	const struct term *t;
	uint32_t k, j, *mark = s->hist;
	size_t p;

	for (k = 0; k < np; k++) {
		t = &v->t[ranks[k]];
		for (p = t->start; p < t->fill; p++) {
			j = v->post[p];
			if (mark[j] != i) {
				mark[j] = i;
				s->touched[(*met)++] = j;
			}
		}
	}
}

static void mark_terms(struct vocab *v, const uint32_t *ranks, uint32_t n,
		       uint32_t i)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		v->rank[ranks[k]] = i;
}

static void index_app(struct vocab *v, const uint32_t *ranks, uint32_t np,
		      uint32_t i)
{
	uint32_t k;

	for (k = 0; k < np; k++)
		v->post[v->t[ranks[k]].fill++] = i;
}

/* Judges every app against the earlier ones it shares an indexed term
 * with.  The rank arrays, no longer needed, become marks: the terms of the
 * app being judged carry its index. */
static void link_candidates(struct similar *s)
{
	const uint32_t *ids, *tids;
	uint32_t i, m, met, n = (uint32_t)s->n;
	struct app *x;

	for (i = 0; i < n; i++)
		s->hist[i] = NONE;
	for (i = 0; i < s->bigram.n; i++)
		s->bigram.rank[i] = NONE;
	for (i = 0; i < s->tagv.n; i++)
		s->tagv.rank[i] = NONE;
	for (i = 0; i < n; i++) {
		x = &s->app[i];
		ids = s->tok + x->tok_off;
		tids = s->tag + x->tag_off;
		met = 0;
		probe(s, &s->bigram, ids, x->tok_pfx, i, &met);
		probe(s, &s->tagv, tids, x->tag_pfx, i, &met);
		mark_terms(&s->bigram, ids, x->tok_n, i);
		mark_terms(&s->tagv, tids, x->tag_n, i);
		for (m = 0; m < met; m++)
			judge(s, i, s->touched[m], 1);
		index_app(&s->bigram, ids, x->tok_pfx, i);
		index_app(&s->tagv, tids, x->tag_pfx, i);
	}
}

static int cluster(struct similar *s, const char *unit_name,
		   struct zj_error *err)
{
	size_t n = s->n, i, cp_len = 0, tok_len = 0, tag_len = 0;
	size_t ulen = unit_name ? strlen(unit_name) : 0;
	size_t maxp = s->o.max_postings;
	uint32_t un = 0, *c, max_tok = 0, max_tag = 0;
	struct app *a;
	void *q_;

	if (RESERVE(s->cp, s->cp_cap, s->name_bytes + 1) ||
	    RESERVE(s->tag, s->tag_cap, s->tag_items + 1) ||
	    RESERVE(s->tagcp, s->tagcp_cap, s->tag_bytes + 1) ||
	    RESERVE(s->dtag, s->dtag_cap, s->tag_items + 1) ||
	    RESERVE(s->ucp, s->ucp_cap, ulen + 1) ||
	    RESERVE(s->touched, s->touched_cap, n) ||
	    RESERVE(s->hist, s->hist_cap, n + 2) ||
	    RESERVE(s->rows, s->rows_cap, n) ||
	    itab_reset(&s->tags, s->tag_items) ||
	    vocab_reset(&s->tagv, s->tag_items))
		goto oom;
	if (unit_name)
		un = normalize(unit_name, ulen, s->ucp);
	for (i = 0; i < n; i++) {
		a = &s->app[i];
		c = s->cp + cp_len;
		a->cp_n = normalize(s->raw + a->name_off, a->name_len, c);
		cp_len += a->cp_n;
		strip_unit(c, &a->cp_n, s->ucp, un);
		strip_affixes(s, &c, &a->cp_n);
		a->cp_off = c - s->cp;
	}

	/* a name of k code points has at most k distinct bigrams */
	if (RESERVE(s->tok, s->tok_cap, cp_len + 1) ||
	    ktab_reset(&s->bigrams, cp_len) ||
	    vocab_reset(&s->bigram, cp_len))
		goto oom;
	s->tagcp_len = 0;
	for (i = 0; i < n; i++) {
		read_bigrams(s, (uint32_t)i, &tok_len);
		s->app[i].tag_off = tag_len;
		read_tags(s, (uint32_t)i);
		tag_len += s->app[i].tag_n;
	}
	if (vocab_rank(&s->bigram, s->hist, n, maxp) ||
	    vocab_rank(&s->tagv, s->hist, n, maxp) ||
	    itab_reset(&s->groups, n))
		goto oom;

	for (i = 0; i < n; i++) {
		a = &s->app[i];
		vocab_remap(&s->bigram, s->tok + a->tok_off, a->tok_n);
		vocab_remap(&s->tagv, s->tag + a->tag_off, a->tag_n);
		a->tok_pfx = a->tok_n ?
			vocab_prefix(&s->bigram, s->tok + a->tok_off, a->tok_n,
				     min_shared_name(a->tok_n,
						     s->o.name_threshold)) : 0;
		a->tag_pfx = a->tag_n >= 2 ?
			vocab_prefix(&s->tagv, s->tag + a->tag_off, a->tag_n,
				     min_shared_tags(a->tag_n,
						     s->o.tag_threshold)) : 0;
		if (a->tok_n > max_tok)
			max_tok = a->tok_n;
		if (a->tag_n > max_tag)
			max_tag = a->tag_n;
		a->parent = (uint32_t)i;
		a->size = 1;
		a->cmin = a->rowid;
		a->peer = NONE;
		a->best = 0;
		a->why = 0;
	}

	if (build_need(&s->need_name, &s->need_name_cap, 2 * max_tok,
		       s->o.name_threshold, 1) ||
	    build_need(&s->need_tag, &s->need_tag_cap, 2 * max_tag,
		       s->o.tag_threshold, 0))
		goto oom;
	link_identical(s, 0);
	itab_reset(&s->groups, n);	/* same size as before: cannot fail */
	link_identical(s, 1);
	link_candidates(s);
	return 0;
oom:
	return zj_err(err, _("out of memory comparing %zu apps of unit '%s'"),
		      n, unit_name ? unit_name : "");
}

static int cmp_row(const void *pa, const void *pb)
{
	const struct emit_row *a = pa, *b = pb;

	if (a->cluster != b->cluster)
		return a->cluster < b->cluster ? -1 : 1;
	if (a->rowid != b->rowid)
		return a->rowid < b->rowid ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int emit_clusters(struct similar *s, similar_emit_fn emit, void *ctx)
{
	struct app *a = s->app;
	size_t k, nrows = 0;
	uint32_t i, r;

	for (i = 0; i < s->n; i++) {
		r = uf_find(a, i);
		if (a[r].size < 2)
			continue;
		s->rows[nrows].cluster = a[r].cmin;
		s->rows[nrows].rowid = a[i].rowid;
		s->rows[nrows].idx = i;
		nrows++;
	}
	if (nrows > 1)	/* rows may be NULL when there are none */
		qsort(s->rows, nrows, sizeof(*s->rows), cmp_row);
	for (k = 0; emit && k < nrows; k++) {
		i = s->rows[k].idx;
		r = uf_find(a, i);
		if (emit(ctx, a[i].rowid, s->rows[k].cluster,
			 a[a[i].peer].rowid, a[i].why, a[r].size))
			return -1;
	}
	return 0;
}

/* ---- API ---- */

struct similar *similar_new(const struct similar_opts *o, struct zj_error *err)
{
	struct similar_opts def = { 0.75, 0.8, DEFAULT_MAX_POSTINGS };
	struct similar *s;
	size_t k;

	if (!o)
		o = &def;
	if (!(o->name_threshold > 0 && o->name_threshold <= 1))
		return zj_err(err, _("name similarity threshold %g is not in (0, 1]"),
			      o->name_threshold), NULL;
	if (!(o->tag_threshold > 0 && o->tag_threshold <= 1))
		return zj_err(err, _("tag similarity threshold %g is not in (0, 1]"),
			      o->tag_threshold), NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return zj_err(err, _("out of memory")), NULL;
	s->o = *o;
	if (!s->o.max_postings)
		s->o.max_postings = DEFAULT_MAX_POSTINGS;
	for (k = 0; k < NSUFFIX; k++)
		s->suffix[k].n = normalize(suffix_words[k],
					   strlen(suffix_words[k]),
					   s->suffix[k].cp);
	for (k = 0; k < NPREFIX; k++)
		s->prefix[k].n = normalize(prefix_words[k],
					   strlen(prefix_words[k]),
					   s->prefix[k].cp);
	return s;
}

/* An upper bound on the number of tags in tags[0..len): every separator
 * holds one of the bytes counted (；is EF BC 9B, ，EF BC 8C, 、E3 80 81). */
static size_t count_tags(const char *tags, size_t len)
{
	size_t k, n = 1;
	unsigned char c;

	if (!len)
		return 0;
	for (k = 0; k < len; k++) {
		c = (unsigned char)tags[k];
		n += c == ';' || c == ',' || c == 0x9B || c == 0x8C ||
		     c == 0x81;
	}
	return n;
}

int similar_add(struct similar *s, long long rowid, const char *name,
		const char *tags, struct zj_error *err)
{
	size_t nl = name ? strlen(name) : 0, tl = tags ? strlen(tags) : 0;
	struct app *a;
	void *q_;

	if (s->n >= MAX_APPS || nl + tl > MAX_RAW - s->raw_len)
		return zj_err(err, _("too many apps in one unit to compare (app %lld)"),
			      rowid);
	if (RESERVE(s->app, s->app_cap, s->n + 1) ||
	    RESERVE(s->raw, s->raw_cap, s->raw_len + nl + tl + 1))
		return zj_err(err, _("out of memory adding app %lld"), rowid);
	a = &s->app[s->n++];
	a->rowid = rowid;
	a->name_off = s->raw_len;
	a->name_len = nl;
	memcpy(s->raw + s->raw_len, name ? name : "", nl);
	s->raw_len += nl;
	a->tags_off = s->raw_len;
	a->tags_len = tl;
	memcpy(s->raw + s->raw_len, tags ? tags : "", tl);
	s->raw_len += tl;
	s->name_bytes += nl;
	s->tag_bytes += tl;
	s->tag_items += count_tags(tags, tl);
	return 0;
}

int similar_flush(struct similar *s, const char *unit_name,
		  similar_emit_fn emit, void *ctx, struct zj_error *err)
{
	int ret = 0;

	if (s->n >= 2 && (cluster(s, unit_name, err) < 0 ||
			  emit_clusters(s, emit, ctx) < 0))
		ret = -1;
	s->n = 0;
	s->raw_len = s->name_bytes = s->tag_bytes = s->tag_items = 0;
	return ret;
}

static void vocab_free(struct vocab *v)
{
	free(v->df);
	free(v->rank);
	free(v->t);
	free(v->post);
}

void similar_free(struct similar *s)
{
	if (!s)
		return;
	free(s->app);
	free(s->raw);
	free(s->cp);
	free(s->tok);
	free(s->tag);
	free(s->tagcp);
	free(s->ucp);
	free(s->touched);
	free(s->hist);
	free(s->dtag);
	free(s->rows);
	vocab_free(&s->bigram);
	vocab_free(&s->tagv);
	free(s->need_name);
	free(s->need_tag);
	free(s->bigrams.key);
	free(s->bigrams.val);
	free(s->tags.slot);
	free(s->groups.slot);
	free(s);
}

/* ---- across units ---- */

static size_t put_utf8(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3F));
	o[2] = (char)(0x80 | (c >> 6 & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

struct tagspan {
	size_t off, len;
};

static int cmp_span(const struct tagspan *x, const struct tagspan *y, const char *s)
{
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(s + x->off, s + y->off, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

size_t similar_tagset_key(const char *tags, char *out, size_t size)
{
	/* Normalized tags side by side in buf, then sorted as spans. */
	const unsigned char *p = (const unsigned char *)tags;
	size_t len = tags ? strlen(tags) : 0, k = 0, n = 0, ns = 0, o = 0;
	char buf[1024];
	struct tagspan span[128];
	uint32_t c;

	if (!len || size < 2)
		return 0;
	while (k < len) {
		size_t start = n, trail;

		while (k < len) {
			k += utf8_next(p + k, len - k, &c);
			c = fold(c);
			if (is_tag_sep(c))
				break;
			if (is_space(c) && n == start)
				continue;	/* leading space */
			if (n + 4 > sizeof(buf))
				return 0;
			n += put_utf8(c, buf + n);
		}
		trail = n;
		while (trail > start && buf[trail - 1] == ' ')
			trail--;
		n = trail;
		if (n == start)
			continue;
		if (ns == sizeof(span) / sizeof(span[0]))
			return 0;
		span[ns].off = start;
		span[ns].len = n - start;
		ns++;
	}
	if (!ns)
		return 0;
	for (size_t i = 1; i < ns; i++) {	/* few tags: insertion sort */
		struct tagspan t = span[i];
		size_t j = i;

		for (; j > 0 && cmp_span(&span[j - 1], &t, buf) > 0; j--)
			span[j] = span[j - 1];
		span[j] = t;
	}
	for (size_t i = 0; i < ns; i++) {
		if (i && !cmp_span(&span[i], &span[i - 1], buf))
			continue;	/* a tag counted once */
		if (o + span[i].len + 2 > size)
			return 0;
		if (o)
			out[o++] = ';';
		memcpy(out + o, buf + span[i].off, span[i].len);
		o += span[i].len;
	}
	out[o] = '\0';
	return o;
}

/* Administrative suffixes a place name ends with, longest first. */
static const char *const place_suffixes[] = {
	"自治区", "自治州", "自治县", "地区", "省", "市", "州", "盟", "县", "区", "旗", "乡", "镇", NULL,
};

/* Removes every occurrence of word (wl bytes) from buf. */
static void remove_all(char *buf, const char *word, size_t wl)
{
	char *hit;

	if (!wl)
		return;
	while ((hit = strstr(buf, word)))
		memmove(hit, hit + wl, strlen(hit + wl) + 1);
}

static size_t cp_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

const char *similar_strip_places(const char *name, const char *host_unit, char *buf, size_t size)
{
	const char *u = host_unit;
	char places[3][64];
	size_t np = 0;

	if (!name || !host_unit || strlen(name) >= size)
		return name;
	/* The leading place names of the unit: a suffix after 2 to 6
	 * characters, up to three times (province, city, county). */
	while (np < 3 && *u) {
		const unsigned char *p = (const unsigned char *)u;
		size_t best = 0, blen = 0, len = strlen(u), stem;
		uint32_t c;

		/* stem: the bytes of the first `chars` code points, one more
		 * each round (every app of a unit names it again: this runs
		 * once an app in the pass across units). */
		stem = utf8_next(p, len, &c);
		for (size_t chars = 2; chars <= 6 && !best; chars++) {
			if (stem >= len)
				break;	/* the unit name is shorter */
			stem += utf8_next(p + stem, len - stem, &c);
			for (const char *const *sfx = place_suffixes; *sfx; sfx++) {
				size_t sl = strlen(*sfx);

				if (u[stem] == **sfx && !strncmp(u + stem, *sfx, sl)) {
					best = stem;
					blen = sl;
					break;
				}
			}
		}
		if (!best || best + blen >= sizeof(places[0]))
			break;
		memcpy(places[np], u, best + blen);
		places[np][best + blen] = '\0';
		np++;
		u += best + blen;
	}
	if (!np)
		return name;
	strcpy(buf, name);
	for (size_t i = 0; i < np; i++) {
		size_t full = strlen(places[i]), stem = full;

		remove_all(buf, places[i], full);
		for (const char *const *sfx = place_suffixes; *sfx; sfx++) {
			size_t sl = strlen(*sfx);

			if (full > sl && !strcmp(places[i] + full - sl, *sfx)) {
				stem = full - sl;
				break;
			}
		}
		if (stem < full) {
			char st[64];

			memcpy(st, places[i], stem);
			st[stem] = '\0';
			if (cp_count(st) >= 2)
				remove_all(buf, st, stem);
		}
	}
	if (!strcmp(buf, name) || cp_count(buf) < 2)
		return name;
	return buf;
}
