#include "core/rectify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "core/audit.h"
#include "core/inventory.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/hash.h"
#include "util/strbuf.h"

static const char *const status_keys[RS_COUNT] = { "pending", "in_progress", "done", "verified", "cancelled" };
static const char *const status_labels[RS_COUNT] = { "待整改", "整改中", "已整改", "已验证", "已取消" };
static const char *const target_keys[] = { "finding", "item", "article" };

/* Overdue, the one definition: still open (pending or in progress) with a
 * deadline before the date bound as ?1. */
#define OVERDUE_SQL "(deadline < ?1 AND status IN ('pending', 'in_progress'))"

/* The live rectification (any but cancelled) that covers a subject and an
 * article, the first made: ?1 inventory, ?2 subject id, ?3 article. */
#define COVERING_SQL "SELECT id, status FROM rectifications WHERE target = 'finding' AND inventory = ?1" \
	" AND subject_id = ?2 AND article = ?3 AND status <> 'cancelled' ORDER BY id LIMIT 1"

const char *rect_status_key(enum rect_status s) { return s < RS_COUNT ? status_keys[s] : ""; }
const char *rect_status_label(enum rect_status s) { return s < RS_COUNT ? status_labels[s] : ""; }

int rectify_exists(sqlite3 *db, long long id)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM rectifications WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

const char *rect_status_text(enum rect_status s, char *buf, size_t n)
{
	static const char *const words[RS_COUNT] = {
		N_("pending"), N_("in progress"), N_("done"), N_("verified"), N_("cancelled"),
	};
	const char *w;

	if (s >= RS_COUNT) {
		snprintf(buf, n, "?");
		return buf;
	}
	/* The label is Chinese; its word in the locale's language is added
	 * only when that is another language. */
	w = _(words[s]);
	if (!strcmp(w, status_labels[s]))
		snprintf(buf, n, "%s", status_labels[s]);
	else
		snprintf(buf, n, "%s (%s)", status_labels[s], w);
	return buf;
}

const char *rect_event_label(const char *kind)
{
	static const struct { const char *kind, *msgid; } kinds[] = {
		{ "created", N_("created") }, { "status", N_("status") }, { "deadline", N_("deadline") },
		{ "owner", N_("owner") }, { "unit", N_("unit") }, { "measure", N_("measure") },
		{ "note", N_("note") }, { "evidence", N_("evidence") }, { "ready", N_("ready for verification") },
		{ "reopened", N_("reopened") }, { "back", N_("found again") }, { "import", N_("imported") },
	};

	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind))
			return _(kinds[i].msgid);
	return kind ? kind : "";
}

int rect_status_parse(const char *s)
{
	for (int i = 0; i < RS_COUNT; i++)
		if (!strcasecmp(s, status_keys[i]) || !strcmp(s, status_labels[i]))
			return i;
	if (!strcasecmp(s, "in-progress"))
		return RS_IN_PROGRESS;
	return -1;
}

void rect_describe(enum rect_target t, const char *subject_id, const char *subject_name,
		   const char *rule, const char *item, int article, char *buf, size_t n)
{
	switch (t) {
	case RT_FINDING:
		snprintf(buf, n, "%s %s%s%s", subject_id ? subject_id : "", subject_name ? subject_name : "",
			 rule ? " " : "", rule ? rule : "");
		break;
	case RT_ITEM:
		snprintf(buf, n, _("item %s"), item ? item : "");
		break;
	case RT_ARTICLE:
		snprintf(buf, n, _("article %d"), article);
		break;
	}
}

const char *rect_gain_text(double g, char buf[24])
{
	if (g < 0)
		return "—";
	snprintf(buf, 24, "+%.2f", g);
	return buf;
}

static int target_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, target_keys[i]))
			return i;
	return -1;
}

/* Transitions an inspector may make by hand.  verified and cancelled are
 * final; only a score reopens a verified one (rectify_sync). */
static int allowed(enum rect_status from, enum rect_status to)
{
	switch (from) {
	case RS_PENDING: return to == RS_IN_PROGRESS || to == RS_DONE || to == RS_CANCELLED;
	case RS_IN_PROGRESS: return to == RS_DONE || to == RS_CANCELLED;
	case RS_DONE: return to == RS_VERIFIED || to == RS_IN_PROGRESS || to == RS_CANCELLED;
	default: return 0;
	}
}

static int sqlfail(sqlite3 *db, struct zj_error *err)
{
	return store_error(db, err, _("cannot update the ledger"));
}

static int event(sqlite3 *db, long long id, const char *kind, const char *from,
		 const char *to, const char *text, struct zj_error *err)
{
	sqlite3_stmt *st;
	char now[21];
	int rc;

	store_now(now);
	if (sqlite3_prepare_v2(db, "INSERT INTO rect_events (rect, at, by, kind, from_status, to_status, text)"
			       " VALUES (?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return sqlfail(db, err);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, store_user(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sqlfail(db, err);
}

static int valid_date(const char *d, char out[11], struct zj_error *err)
{
	const char *why;

	if (parse_date(d, strlen(d), out, &why) <= 0)
		return zj_err(err, _("'%s' is not a date (use 2026-09-30)"), d);
	return 0;
}

/* The inventory holding subject id (given, or the only one that has it). */
static int find_subject(sqlite3 *db, const char *inventory, const char *id, int *kind,
			long long *rowid, struct zj_error *err)
{
	int found = 0;

	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		char *sql;
		sqlite3_stmt *st;

		if (inventory && strcmp(inventory, inv->name))
			continue;
		sql = sqlite3_mprintf("SELECT rowid FROM %s WHERE id = ?", inv->table);
		if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			sqlite3_free(sql);
			return sqlfail(db, err);
		}
		sqlite3_free(sql);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (found)
				return sqlite3_finalize(st),
				       zj_err(err, _("'%s' is in more than one inventory; say which with --inventory"), id);
			*kind = k;
			*rowid = sqlite3_column_int64(st, 0);
			found = 1;
		}
		sqlite3_finalize(st);
	}
	if (!found)
		return inventory ? zj_err(err, _("no subject '%s' in the %s inventory"), id, inventory)
				 : zj_err(err, _("no subject '%s' in any inventory"), id);
	return 0;
}

int rectify_add(sqlite3 *db, const struct workspace *ws, const struct rect_new *n,
		long long *id, struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	sqlite3_stmt *st = NULL;
	char deadline[11], now[21];
	const char *inv_name = NULL, *item = NULL;
	int article = n->article, kind = -1;
	long long rowid;

	if (!n->measure || !*n->measure)
		return zj_err(err, "%s", _("a rectification needs a measure (--measure)"));
	if (n->deadline && valid_date(n->deadline, deadline, err) < 0)
		return -1;
	if (store_begin(db, err) < 0)
		return -1;
	switch (n->target) {
	case RT_FINDING:
		if (!n->subject_id || find_subject(db, n->inventory, n->subject_id, &kind, &rowid, err) < 0)
			goto fail;
		inv_name = inventory_get((enum inv_kind)kind)->name;
		if (n->rule) {
			int r = checklist_rule_index(cl, n->rule);

			if (r < 0) {
				zj_err(err, _("no rule '%s' in the checklist"), n->rule);
				goto fail;
			}
			if ((int)cl->rules[r].inv != kind) {
				zj_err(err, _("rule %s is about %s, not %s"), n->rule,
				       inventory_get(cl->rules[r].inv)->name, inv_name);
				goto fail;
			}
			if (article && article != cl->rules[r].article) {
				zj_err(err, _("rule %s belongs to article %d, not %d"), n->rule, cl->rules[r].article, article);
				goto fail;
			}
			article = cl->rules[r].article;
		}
		break;
	case RT_ITEM: {
		const struct cl_item *it = n->item ? checklist_item(cl, n->item) : NULL;

		if (!it) {
			zj_err(err, _("no check item '%s'"), n->item ? n->item : "");
			goto fail;
		}
		item = it->id;
		article = it->article;
		break;
	}
	case RT_ARTICLE:
		break;
	}
	if (!checklist_article(cl, article)) {
		zj_err(err, _("no article %d (1 to %zu)"), article, cl->narticles);
		goto fail;
	}
	store_now(now);
	if (sqlite3_prepare_v2(db, "INSERT INTO rectifications (target, inventory, subject_id, rule, item, article,"
			       " measure, unit, owner, deadline, created_at, created_by, updated_at)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		goto sql;
	sqlite3_bind_text(st, 1, target_keys[n->target], -1, SQLITE_STATIC);
	if (kind >= 0)
		sqlite3_bind_int(st, 2, kind);
	sqlite3_bind_text(st, 3, n->target == RT_FINDING ? n->subject_id : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, n->target == RT_FINDING ? n->rule : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, item, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, article);
	sqlite3_bind_text(st, 7, n->measure, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, n->unit && *n->unit ? n->unit : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, n->owner && *n->owner ? n->owner : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, n->deadline ? deadline : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, store_user(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sql;
	sqlite3_finalize(st);
	st = NULL;
	*id = sqlite3_last_insert_rowid(db);
	if (event(db, *id, "created", NULL, "pending", n->measure, err) < 0 ||
	    audit_appendf(db, err, "rectify", "#%lld created for article %d%s%s%s%s: %s", *id, article,
			  n->target == RT_FINDING ? " " : "", n->target == RT_FINDING ? n->subject_id : "",
			  item ? " item " : "", item ? item : "", n->measure) < 0)
		goto fail;
	return store_commit(db, err);
sql:
	sqlfail(db, err);
fail:
	sqlite3_finalize(st);
	store_rollback(db);
	return -1;
}

/* Evidence is any document a unit keeps (scans, photos, recordings): bounded
 * only so that a file that never ends cannot hold the ledger up. */
#define EVIDENCE_MAX_BYTES HASH_FILE_MAX_BYTES

static int set_text(sqlite3 *db, long long id, const char *col, const char *val, struct zj_error *err)
{
	char *sql = sqlite3_mprintf("UPDATE rectifications SET %s = ? WHERE id = ?", col);
	sqlite3_stmt *st;
	int rc;

	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_free(sql);
		return sqlfail(db, err);
	}
	sqlite3_free(sql);
	sqlite3_bind_text(st, 1, val && *val ? val : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sqlfail(db, err);
}

int rectify_update(sqlite3 *db, const struct workspace *ws, long long id,
		   const struct rect_change *c, struct zj_error *err)
{
	sqlite3_stmt *st = NULL;
	enum rect_status from;
	int ready, changed = 0;
	char target[16], now[21], deadline[11];

	(void)ws;
	if (store_begin(db, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT status, ready, target FROM rectifications WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		goto sql;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		zj_err(err, _("no rectification %lld (see 'zhijian rectify list')"), id);
		goto fail;
	}
	from = (enum rect_status)rect_status_parse((const char *)sqlite3_column_text(st, 0));
	ready = sqlite3_column_int(st, 1);
	snprintf(target, sizeof(target), "%s", sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	st = NULL;

	if (c->status >= 0 && (enum rect_status)c->status != from) {
		enum rect_status to = (enum rect_status)c->status;

		if (!allowed(from, to)) {
			if (to == RS_VERIFIED)
				zj_err(err, _("rectification %lld is %s: only a rectification that is done (已整改) can be verified"),
				       id, rect_status_label(from));
			else
				zj_err(err, _("rectification %lld cannot go from %s to %s"), id,
				       rect_status_label(from), rect_status_label(to));
			goto fail;
		}
		if (to == RS_CANCELLED && !(c->reason && *c->reason)) {
			zj_err(err, _("cancelling rectification %lld needs a reason (--reason)"), id);
			goto fail;
		}
		if (to == RS_VERIFIED && !strcmp(target, "finding") && !ready) {
			zj_err(err, _("rectification %lld cannot be verified: the last score still finds the violation (re-import the corrected inventory and run 'zhijian score')"), id);
			goto fail;
		}
		if (set_text(db, id, "status", status_keys[to], err) < 0 ||
		    (to == RS_CANCELLED && set_text(db, id, "cancel_reason", c->reason, err) < 0) ||
		    event(db, id, "status", status_keys[from], status_keys[to],
			  to == RS_CANCELLED ? c->reason : c->reason, err) < 0)
			goto fail;
		changed = 1;
	} else if (c->status >= 0 && !c->note) {
		zj_err(err, _("rectification %lld is already %s"), id, rect_status_label(from));
		goto fail;
	}
	if (c->deadline) {
		if (valid_date(c->deadline, deadline, err) < 0 || set_text(db, id, "deadline", deadline, err) < 0 ||
		    event(db, id, "deadline", NULL, NULL, deadline, err) < 0)
			goto fail;
		changed = 1;
	}
	if (c->owner) {
		if (set_text(db, id, "owner", c->owner, err) < 0 || event(db, id, "owner", NULL, NULL, c->owner, err) < 0)
			goto fail;
		changed = 1;
	}
	if (c->unit) {
		if (set_text(db, id, "unit", c->unit, err) < 0 || event(db, id, "unit", NULL, NULL, c->unit, err) < 0)
			goto fail;
		changed = 1;
	}
	if (c->measure) {
		if (!*c->measure) {
			zj_err(err, "%s", _("the measure cannot be empty"));
			goto fail;
		}
		if (set_text(db, id, "measure", c->measure, err) < 0 ||
		    event(db, id, "measure", NULL, NULL, c->measure, err) < 0)
			goto fail;
		changed = 1;
	}
	if (c->note) {
		if (!*c->note) {
			zj_err(err, "%s", _("a progress note cannot be empty"));
			goto fail;
		}
		if (event(db, id, "note", NULL, NULL, c->note, err) < 0)
			goto fail;
		changed = 1;
	}
	for (const char *const *e = c->evidence; e && *e; e++) {
		char hex[65], *text;
		long long size;

		if (hash_file_sha256(*e, EVIDENCE_MAX_BYTES, hex, &size, err) < 0) {
			zj_err_prefix(err, "%s", _("evidence"));
			goto fail;
		}
		store_now(now);
		if (sqlite3_prepare_v2(db, "INSERT INTO rect_evidence (rect, path, sha256, size, added_at, added_by)"
				       " VALUES (?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
			goto sql;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, *e, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, size);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, store_user(), -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sql;
		sqlite3_finalize(st);
		st = NULL;
		text = sqlite3_mprintf("%s sha256:%s", *e, hex);
		if (!text || event(db, id, "evidence", NULL, NULL, text, err) < 0) {
			sqlite3_free(text);
			goto fail;
		}
		sqlite3_free(text);
		changed = 1;
	}
	if (!changed) {
		zj_err(err, "%s", _("nothing to change (give --status, --note, --deadline, --evidence, …)"));
		goto fail;
	}
	store_now(now);
	if (set_text(db, id, "updated_at", now, err) < 0 ||
	    audit_appendf(db, err, "rectify", "#%lld updated%s%s%s%s%s%s", id,
			  c->status >= 0 ? ": status " : "", c->status >= 0 ? status_keys[c->status] : "",
			  c->note ? "; note" : "", c->deadline ? "; deadline" : "",
			  c->evidence && c->evidence[0] ? "; evidence" : "",
			  c->owner || c->unit || c->measure ? "; details" : "") < 0)
		goto fail;
	return store_commit(db, err);
sql:
	sqlfail(db, err);
fail:
	sqlite3_finalize(st);
	store_rollback(db);
	return -1;
}

/* ---- gain if fixed ---- */

/* The model is core/scoring's; this reads what it needs from the last
 * score: the assessment, and where each item's rules sit in the findings'
 * bit masks (rules.bit, per inventory). */

struct gain_rule {
	char *id;
	int kind, bit, article;
};

struct gain_ctx {
	struct gain_rule *rules;
	size_t nrules;
	struct scoring_item *items;
	struct scoring_gain model;
};

struct gain_ctx *gain_ctx_new(sqlite3 *db, const struct workspace *ws, struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	struct gain_ctx *g = calloc(1, sizeof(*g));
	unsigned long long high[INV_COUNT] = { 0 };
	struct assessment a = { 0 };
	sqlite3_stmt *st = NULL;

	if (!g) {
		zj_err(err, "%s", _("out of memory"));
		return NULL;
	}
	if (assessment_load(db, cl, &a, err) < 0) {
		free(g);
		return NULL;
	}
	g->items = calloc(cl->nitems ? cl->nitems : 1, sizeof(*g->items));
	if (!g->items)
		goto oom;
	if (sqlite3_prepare_v2(db, "SELECT id, inventory, bit, article, severity = 'high' FROM rules", -1, &st, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot read the rules"));
		goto fail;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct gain_rule *n = realloc(g->rules, (g->nrules + 1) * sizeof(*n));

		if (!n)
			goto oom;
		g->rules = n;
		n = &g->rules[g->nrules];
		n->id = strdup((const char *)sqlite3_column_text(st, 0));
		if (!n->id)
			goto oom;
		n->kind = sqlite3_column_int(st, 1);
		n->bit = sqlite3_column_int(st, 2);
		n->article = sqlite3_column_int(st, 3);
		g->nrules++;
		if (n->kind >= 0 && n->kind < INV_COUNT && n->bit >= 0 && n->bit < 64 && sqlite3_column_int(st, 4))
			high[n->kind] |= 1ull << n->bit;
	}
	sqlite3_finalize(st);
	st = NULL;
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct cl_item *it = &cl->items[i];
		const struct item_status *s = &a.items[i];
		struct scoring_item *si = &g->items[i];

		si->answer = s->answer;
		si->proposal = s->proposal;
		si->counts = (struct proposal_counts){ s->checked, s->violated, s->unknown, s->high_violated };
		for (size_t k = 0; k < it->nrules; k++)
			for (size_t r = 0; r < g->nrules; r++)
				if (!strcmp(g->rules[r].id, cl->rules[it->rules[k]].id) &&
				    g->rules[r].kind >= 0 && g->rules[r].kind < INV_COUNT &&
				    g->rules[r].bit >= 0 && g->rules[r].bit < 64)
					si->rule_bits[g->rules[r].kind] |= 1ull << g->rules[r].bit;
	}
	if (scoring_gain_init(&g->model, cl, ws->level, g->items, high) < 0)
		goto oom;
	assessment_release(&a);
	return g;
oom:
	zj_err(err, "%s", _("out of memory"));
fail:
	sqlite3_finalize(st);
	assessment_release(&a);
	gain_ctx_free(g);
	return NULL;
}

/* gain_next, and with kind >= 0 only the items of the article that link a
 * rule of `mask` (in inventory kind's bits). */
static int next_among(struct gain_ctx *g, const char *rule, int article, int kind, unsigned long long mask,
		      const char **item, struct scoring_next *out)
{
	const struct checklist *cl = g->model.cl;
	int found = 0;

	memset(out, 0, sizeof(*out));
	*item = NULL;
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct cl_item *it = &cl->items[i];
		struct scoring_next n;
		int mine = 0;

		if (!it->nrules)
			continue;
		for (size_t k = 0; k < it->nrules && !mine; k++)
			mine = rule ? !strcmp(cl->rules[it->rules[k]].id, rule) : it->article == article;
		if (mine && kind >= 0 && kind < INV_COUNT)
			mine = (g->items[i].rule_bits[kind] & mask) != 0;
		if (!mine)
			continue;
		scoring_next_step(&g->model, i, &n);
		/* The nearest: the fewest subjects to fix. */
		if ((n.found && (!found || n.fix < out->fix)) || (!found && !*item)) {
			*out = n;
			*item = it->id;
			found = n.found;
		}
		if (rule)
			break;
	}
	return found;
}

int gain_next(struct gain_ctx *g, const char *rule, int article, const char **item, struct scoring_next *out)
{
	return next_among(g, rule, article, -1, 0, item, out);
}

int gain_next_subject(struct gain_ctx *g, int kind, unsigned long long violated, int article, const char **item,
		      struct scoring_next *out)
{
	int found = next_among(g, NULL, article, kind, violated, item, out);

	/* No item of the article holds the subject's rules (its violations
	 * are gone): the article's nearest step, as gain_next says it. */
	return *item ? found : gain_next(g, NULL, article, item, out);
}

const char *rect_next_text(const char *item, const struct scoring_next *n, int brief, char *buf, size_t size)
{
	char g[24];

	buf[0] = '\0';
	if (!n || !item)
		return buf;
	if (!n->found) {
		if (n->unknown)
			snprintf(buf, size, brief ? _("%s: verify %lld") : _("%s: verify %lld subjects before it can pass"),
				 item, n->unknown);
		return buf;
	}
	if (brief)
		snprintf(buf, size, "%s→%s %lld/%lld", item, verdict_label(n->to), n->fix, n->of);
	else
		snprintf(buf, size, _("%s %s→%s: fix %lld of %lld subjects (%s)"), item, verdict_label(n->from),
			 verdict_label(n->to), n->fix, n->of, rect_gain_text(n->gain, g));
	return buf;
}

const char *rect_next_text_zh(const char *item, const struct scoring_next *n, char *buf, size_t size)
{
	char g[24];

	buf[0] = '\0';
	if (!n || !item)
		return buf;
	if (!n->found) {
		if (n->unknown)
			snprintf(buf, size, "%s：须先核实%lld个对象，才可能评为符合", item, n->unknown);
		return buf;
	}
	snprintf(buf, size, "%s %s→%s：需整改%lld个违反对象中的%lld个（总分%s）", item, verdict_label(n->from),
		 verdict_label(n->to), n->of, n->fix, rect_gain_text(n->gain, g));
	return buf;
}

unsigned long long gain_rule_mask(const struct gain_ctx *g, int kind, int article, const char *rule)
{
	unsigned long long m = 0;

	for (size_t r = 0; r < g->nrules; r++) {
		const struct gain_rule *gr = &g->rules[r];

		if (gr->kind != kind || gr->bit < 0 || gr->bit >= 64)
			continue;
		if (rule ? !strcmp(rule, gr->id) : gr->article == article)
			m |= 1ull << gr->bit;
	}
	return m;
}

double gain_for(struct gain_ctx *g, int kind, unsigned long long violated,
		unsigned long long unknown, unsigned long long fixed)
{
	return scoring_gain_fix(&g->model, kind, violated, unknown, fixed);
}

/* Item i's effective verdict as the last score left it. */
static enum verdict gain_effective(const struct gain_ctx *g, size_t i)
{
	return g->model.effective[i];
}

double gain_if_compliant(struct gain_ctx *g, const char *item, int article)
{
	return scoring_gain_compliant(&g->model, item, article);
}

void gain_ctx_free(struct gain_ctx *g)
{
	if (!g)
		return;
	for (size_t r = 0; r < g->nrules; r++)
		free(g->rules[r].id);
	free(g->rules);
	free(g->items);
	scoring_gain_release(&g->model);
	free(g);
}

/* ---- listing ---- */

/* The subject's name and finding masks, for listing and sync. */
struct subject_state {
	int exists;
	char *name;
	unsigned long long violated, unknown;
};

static int subject_state(sqlite3 *db, int kind, const char *id, struct subject_state *s)
{
	const struct inventory *inv = inventory_get((enum inv_kind)kind);
	char *sql;
	sqlite3_stmt *st;

	memset(s, 0, sizeof(*s));
	if (!inv || !id)
		return 0;
	sql = sqlite3_mprintf("SELECT i.name, f.violated, f.unknown FROM %s i LEFT JOIN findings f"
			      " ON f.inventory = %d AND f.subject = i.rowid WHERE i.id = ?", inv->table, kind);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_free(sql);
		return -1;
	}
	sqlite3_free(sql);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->exists = 1;
		s->name = sqlite3_column_text(st, 0) ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
		s->violated = (unsigned long long)sqlite3_column_int64(st, 1);
		s->unknown = (unsigned long long)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return 0;
}

int rectify_list(sqlite3 *db, const struct workspace *ws, const struct rect_filter *f,
		 rect_row_fn fn, void *ctx, struct zj_error *err)
{
	struct gain_ctx *g = gain_ctx_new(db, ws, err);
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (!g)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT id, target, inventory, subject_id, rule, item, article, measure, unit,"
			       " owner, deadline, status, cancel_reason, ready, created_at, updated_at,"
			       " " OVERDUE_SQL " FROM rectifications"
			       " WHERE (?2 < 0 OR status = ?3) AND (?4 = 0 OR article = ?4)"
			       " AND (?5 = 0 OR " OVERDUE_SQL ")"
			       " AND (?6 IS NULL OR owner = ?6) AND (?7 = 0 OR id = ?7)"
			       " ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot read the ledger"));
		goto out;
	}
	sqlite3_bind_text(st, 1, ws->today, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, f->status);
	sqlite3_bind_text(st, 3, f->status >= 0 ? status_keys[f->status] : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, f->article);
	sqlite3_bind_int(st, 5, f->overdue_only);
	sqlite3_bind_text(st, 6, f->owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, f->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct rect_row r = { 0 };
		struct subject_state ss = { 0 };
		int kind = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 2);
		int cb;

		r.id = sqlite3_column_int64(st, 0);
		r.target = (enum rect_target)target_parse((const char *)sqlite3_column_text(st, 1));
		r.inventory = kind >= 0 ? inventory_get((enum inv_kind)kind)->name : NULL;
		r.subject_id = (const char *)sqlite3_column_text(st, 3);
		r.rule = (const char *)sqlite3_column_text(st, 4);
		r.item = (const char *)sqlite3_column_text(st, 5);
		r.article = sqlite3_column_int(st, 6);
		r.measure = (const char *)sqlite3_column_text(st, 7);
		r.unit = (const char *)sqlite3_column_text(st, 8);
		r.owner = (const char *)sqlite3_column_text(st, 9);
		r.deadline = (const char *)sqlite3_column_text(st, 10);
		r.status = (enum rect_status)rect_status_parse((const char *)sqlite3_column_text(st, 11));
		r.cancel_reason = (const char *)sqlite3_column_text(st, 12);
		r.ready = sqlite3_column_int(st, 13);
		r.created_at = (const char *)sqlite3_column_text(st, 14);
		r.updated_at = (const char *)sqlite3_column_text(st, 15);
		r.overdue = sqlite3_column_int(st, 16);
		r.gain = -1;
		if (r.status == RS_CANCELLED || r.status == RS_VERIFIED) {
			r.gain = 0;
		} else if (r.target == RT_FINDING) {
			if (subject_state(db, kind, r.subject_id, &ss) < 0) {
				store_error(db, err, _("cannot read the ledger"));
				goto out;
			}
			r.subject_name = ss.name;
			if (ss.exists)
				r.gain = gain_for(g, kind, ss.violated, ss.unknown,
						  gain_rule_mask(g, kind, r.article, r.rule));
		} else {
			r.gain = gain_if_compliant(g, r.target == RT_ITEM ? r.item : NULL, r.article);
		}
		if (r.status != RS_CANCELLED && r.status != RS_VERIFIED && r.target != RT_ITEM) {
			struct scoring_next nx;
			const char *item = NULL;

			if (r.target == RT_FINDING && !r.rule && ss.exists)
				gain_next_subject(g, kind, ss.violated & gain_rule_mask(g, kind, r.article, NULL), r.article,
						  &item, &nx);
			else
				gain_next(g, r.target == RT_FINDING ? r.rule : NULL, r.article, &item, &nx);
			rect_next_text(item, &nx, 1, r.next, sizeof(r.next));
			rect_next_text(item, &nx, 0, r.next_full, sizeof(r.next_full));
			r.next_item = item;
			r.next_step = nx;
		}
		cb = fn(ctx, &r);
		free(ss.name);
		if (cb < 0) {
			zj_err(err, "%s", _("listing stopped"));
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(db, err, _("cannot read the ledger"));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	gain_ctx_free(g);
	return rc;
}

/* ---- owned rows ---- */

/* One malloc'd block per row holds all its strings, so a row is released
 * with one free and the struct keeps rectify_list's const fields. */
static int row_pack(struct rect_row *d, char **mem, const struct rect_row *r)
{
	const char *const *src[] = { &r->inventory, &r->subject_id, &r->subject_name, &r->rule, &r->item,
				     &r->measure, &r->unit, &r->owner, &r->deadline, &r->cancel_reason,
				     &r->created_at, &r->updated_at };
	const char **dst[] = { &d->inventory, &d->subject_id, &d->subject_name, &d->rule, &d->item,
			       &d->measure, &d->unit, &d->owner, &d->deadline, &d->cancel_reason,
			       &d->created_at, &d->updated_at };
	size_t len = 1;
	char *p;

	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
		if (*src[i])
			len += strlen(*src[i]) + 1;
	if (!(p = *mem = malloc(len)))
		return -1;
	*d = *r;
	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		if (!*src[i])
			continue;
		len = strlen(*src[i]) + 1;
		memcpy(p, *src[i], len);
		*dst[i] = p;
		p += len;
	}
	return 0;
}

static int rows_collect(void *ctx, const struct rect_row *r)
{
	struct rect_rows *rs = ctx;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct rect_row *v = realloc(rs->v, cap * sizeof(*v));
		char **mem;

		if (!v)
			return -1;
		rs->v = v;
		if (!(mem = realloc(rs->mem, cap * sizeof(*mem))))
			return -1;
		rs->mem = mem;
		rs->cap = cap;
	}
	if (row_pack(&rs->v[rs->n], &rs->mem[rs->n], r) < 0)
		return -1;
	rs->n++;
	return 0;
}

int rectify_rows(sqlite3 *db, const struct workspace *ws, const struct rect_filter *f, struct rect_rows *rows,
		 struct zj_error *err)
{
	memset(rows, 0, sizeof(*rows));
	if (rectify_list(db, ws, f, rows_collect, rows, err) < 0) {
		rect_rows_release(rows);
		return -1;
	}
	return 0;
}

/* Replaces row i by the row read again (one row, by id). */
static int refresh_collect(void *ctx, const struct rect_row *r)
{
	struct rect_rows *rs = ctx;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].id == r->id) {
			struct rect_row d;
			char *mem;

			if (row_pack(&d, &mem, r) < 0)
				return -1;
			free(rs->mem[i]);
			rs->v[i] = d;
			rs->mem[i] = mem;
			break;
		}
	return 0;
}

int rectify_rows_refresh(sqlite3 *db, const struct workspace *ws, struct rect_rows *rows, long long id,
			 struct zj_error *err)
{
	struct rect_filter f = { .status = -1, .id = id };

	return rectify_list(db, ws, &f, refresh_collect, rows, err);
}

void rect_rows_release(struct rect_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++)
		free(rows->mem[i]);
	free(rows->v);
	free(rows->mem);
	memset(rows, 0, sizeof(*rows));
}

/* ---- the ledger at a glance ---- */

int rectify_counts(sqlite3 *db, const char *date, struct rect_counts *c, struct zj_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	if (sqlite3_prepare_v2(db, "SELECT count(*), total(status IN ('pending', 'in_progress')),"
			       " total(" OVERDUE_SQL "),"
			       " total(ready AND status NOT IN ('verified', 'cancelled')), total(status = 'done'),"
			       " total(status IN ('verified', 'cancelled')) FROM rectifications", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the ledger"));
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->total = sqlite3_column_int64(st, 0);
		c->open = sqlite3_column_int64(st, 1);
		c->overdue = sqlite3_column_int64(st, 2);
		c->ready = sqlite3_column_int64(st, 3);
		c->done = sqlite3_column_int64(st, 4);
		c->closed = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(db, err, _("cannot read the ledger"));
}

void rect_due_free(struct rect_due *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].deadline);
		free(v[i].subject_id);
		free(v[i].item);
		free(v[i].measure);
	}
	free(v);
}

int rectify_due(sqlite3 *db, const char *date, size_t max, struct rect_due **out, size_t *n,
		struct zj_error *err)
{
	struct rect_due *v;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	if (!max)
		return 0;
	if (!(v = calloc(max, sizeof(*v))))
		return zj_err(err, "%s", _("out of memory"));
	if (sqlite3_prepare_v2(db, "SELECT id, deadline, target, subject_id, item, article, measure,"
			       " " OVERDUE_SQL " FROM rectifications"
			       " WHERE status IN ('pending', 'in_progress') AND deadline IS NOT NULL"
			       " ORDER BY deadline, id LIMIT ?2", -1, &st, NULL) != SQLITE_OK) {
		free(v);
		return store_error(db, err, _("cannot read the ledger"));
	}
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (long long)max);
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rect_due *u = &v[(*n)++];
		const unsigned char *t[4] = { sqlite3_column_text(st, 1), sqlite3_column_text(st, 3),
					      sqlite3_column_text(st, 4), sqlite3_column_text(st, 6) };
		char **d[4] = { &u->deadline, &u->subject_id, &u->item, &u->measure };

		u->id = sqlite3_column_int64(st, 0);
		u->target = (enum rect_target)target_parse((const char *)sqlite3_column_text(st, 2));
		u->article = sqlite3_column_int(st, 5);
		u->overdue = sqlite3_column_int(st, 7);
		for (int i = 0; i < 4; i++)
			if (t[i] && !(*d[i] = strdup((const char *)t[i])))
				rc = SQLITE_NOMEM;
		if (rc == SQLITE_NOMEM)
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rect_due_free(v, *n);
		*n = 0;
		return rc == SQLITE_NOMEM ? zj_err(err, "%s", _("out of memory"))
					  : store_error(db, err, _("cannot read the ledger"));
	}
	if (!*n) {
		free(v);
		v = NULL;
	}
	*out = v;
	return 0;
}

int rectify_rule_measure(sqlite3 *db, const char *rule_id, char **measure, struct zj_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*measure = NULL;
	if (sqlite3_prepare_v2(db, "SELECT measure FROM rules WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the rules"));
	sqlite3_bind_text(st, 1, rule_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    !(*measure = strdup((const char *)sqlite3_column_text(st, 0)))) {
		sqlite3_finalize(st);
		return zj_err(err, "%s", _("out of memory"));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(db, err, _("cannot read the rules"));
}

int rectify_events(sqlite3 *db, long long id, rect_event_fn fn, void *ctx, struct zj_error *err)
{
	sqlite3_stmt *st;
	int step;

	if (sqlite3_prepare_v2(db, "SELECT at, by, kind, from_status, to_status, text FROM rect_events"
			       " WHERE rect = ? ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the ledger"));
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct rect_event e = {
			(const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5),
		};

		if (fn(ctx, &e) < 0)
			break;
	}
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : store_error(db, err, _("cannot read the ledger"));
}

int rectify_evidence(sqlite3 *db, long long id, rect_evidence_fn fn, void *ctx, struct zj_error *err)
{
	sqlite3_stmt *st;
	int step;

	if (sqlite3_prepare_v2(db, "SELECT path, sha256, size, added_at FROM rect_evidence WHERE rect = ? ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the ledger"));
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct rect_evidence e = {
			.path = (const char *)sqlite3_column_text(st, 0),
			.sha256 = (const char *)sqlite3_column_text(st, 1),
			.size = sqlite3_column_int64(st, 2),
			.added_at = (const char *)sqlite3_column_text(st, 3),
		};
		char hex[65];
		long long size;
		struct zj_error ignored;

		/* Re-hashed now: evidence that changed after it was
		 * recorded must not pass for what was recorded. */
		if (hash_file_sha256(e.path, EVIDENCE_MAX_BYTES, hex, &size, &ignored) < 0)
			e.state = "missing";
		else
			e.state = strcmp(hex, e.sha256) ? "changed" : "ok";
		if (fn(ctx, &e) < 0)
			break;
	}
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : store_error(db, err, _("cannot read the ledger"));
}

/* ---- plan ---- */

/* Steps q (COVERING_SQL) for one subject and article: 1 and *id, *status
 * filled when a live rectification covers them (any of the article's
 * rules, or all of them), 0 when none does, -1 when the read failed. */
static int covering_step(sqlite3_stmt *q, int kind, const char *subject_id, int article, long long *id,
			 enum rect_status *status)
{
	int rc;

	sqlite3_bind_int(q, 1, kind);
	sqlite3_bind_text(q, 2, subject_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, article);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		int st = rect_status_parse((const char *)sqlite3_column_text(q, 1));

		*id = sqlite3_column_int64(q, 0);
		*status = st < 0 ? RS_PENDING : (enum rect_status)st;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

long long rectify_covering(sqlite3 *db, int kind, const char *subject_id, int article,
			   enum rect_status *status, struct zj_error *err)
{
	sqlite3_stmt *q;
	long long id = 0;
	int rc;

	if (sqlite3_prepare_v2(db, COVERING_SQL, -1, &q, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the ledger"));
	rc = covering_step(q, kind, subject_id, article, &id, status);
	if (rc < 0)
		store_error(db, err, _("cannot read the ledger"));
	sqlite3_finalize(q);
	return rc < 0 ? -1 : rc ? id : 0;
}

int rectify_plan(sqlite3 *db, const struct workspace *ws, int apply, const char *owner,
		 const char *unit, const char *deadline, rect_plan_fn fn, void *ctx,
		 long long *count, struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	struct gain_ctx *g = NULL;
	sqlite3_stmt *rules = NULL, *subj = NULL, *cov = NULL, *ins = NULL, *ev = NULL;
	struct { char *id, *measure; int article; } byb[INV_COUNT][64];
	char dl[11], now[21];
	int rc = -1;

	memset(byb, 0, sizeof(byb));
	*count = 0;
	if (deadline && valid_date(deadline, dl, err) < 0)
		return -1;
	if (apply && store_begin(db, err) < 0)
		return -1;
	g = gain_ctx_new(db, ws, err);
	if (!g)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT id, inventory, bit, article, measure FROM rules", -1, &rules, NULL) != SQLITE_OK)
		goto sql;
	while (sqlite3_step(rules) == SQLITE_ROW) {
		int k = sqlite3_column_int(rules, 1), b = sqlite3_column_int(rules, 2);

		if (k < 0 || k >= INV_COUNT || b < 0 || b >= 64)
			continue;
		byb[k][b].id = strdup((const char *)sqlite3_column_text(rules, 0));
		byb[k][b].measure = sqlite3_column_text(rules, 4) ? strdup((const char *)sqlite3_column_text(rules, 4)) : NULL;
		byb[k][b].article = sqlite3_column_int(rules, 3);
	}
	if (sqlite3_prepare_v2(db, COVERING_SQL, -1, &cov, NULL) != SQLITE_OK)
		goto sql;
	store_now(now);
	if (apply &&
	    (sqlite3_prepare_v2(db, "INSERT INTO rectifications (target, inventory, subject_id, item, article, measure,"
				" unit, owner, deadline, created_at, created_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
				-1, &ins, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(db, "INSERT INTO rect_events (rect, at, by, kind, to_status, text)"
				" VALUES (?, ?, ?, 'created', 'pending', 'zhijian rectify plan')", -1, &ev, NULL) != SQLITE_OK))
		goto sql;

	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		char *sql = sqlite3_mprintf("SELECT i.id, i.name, f.violated, f.unknown FROM findings f JOIN %s i"
					    " ON i.rowid = f.subject WHERE f.inventory = %d AND f.violated <> 0"
					    " ORDER BY f.subject", inv->table, k);

		if (!sql || sqlite3_prepare_v2(db, sql, -1, &subj, NULL) != SQLITE_OK) {
			sqlite3_free(sql);
			goto sql;
		}
		sqlite3_free(sql);
		while (sqlite3_step(subj) == SQLITE_ROW) {
			const char *sid = (const char *)sqlite3_column_text(subj, 0);
			const char *sname = (const char *)sqlite3_column_text(subj, 1);
			unsigned long long v = (unsigned long long)sqlite3_column_int64(subj, 2);
			unsigned long long u = (unsigned long long)sqlite3_column_int64(subj, 3);

			for (size_t a = 1; a <= cl->narticles; a++) {
				unsigned long long m = v & gain_rule_mask(g, k, (int)a, NULL);
				struct strbuf meas = { 0 }, ids = { 0 };
				struct rect_plan_row row = { 0 };
				enum rect_status cst;
				long long cid;

				if (!m)
					continue;
				switch (covering_step(cov, k, sid, (int)a, &cid, &cst)) {
				case 1: continue;
				case 0: break;
				default: goto sql;
				}
				for (int b = 0; b < 64; b++) {
					if (!(m & (1ull << b)) || !byb[k][b].id)
						continue;
					sb_addf(&ids, "%s%s", ids.len ? "," : "", byb[k][b].id);
					if (byb[k][b].measure && (!meas.p || !strstr(meas.p, byb[k][b].measure)))
						sb_addf(&meas, "%s%s", meas.len ? "；" : "", byb[k][b].measure);
				}
				row.target = RT_FINDING;
				row.inventory = inv->name;
				row.subject_id = sid;
				row.subject_name = sname;
				row.article = (int)a;
				row.measure = meas.p ? meas.p : "整改";
				row.rules = ids.p ? ids.p : "";
				row.gain = gain_for(g, k, v, u, m);
				/* As rectify_list will say it of the rectification
				 * made from this row (about the article, no rule). */
				gain_next_subject(g, k, m, (int)a, &row.next_item, &row.next_step);
				rect_next_text(row.next_item, &row.next_step, 1, row.next, sizeof(row.next));
				rect_next_text(row.next_item, &row.next_step, 0, row.next_full, sizeof(row.next_full));
				if (apply) {
					sqlite3_bind_text(ins, 1, "finding", -1, SQLITE_STATIC);
					sqlite3_bind_int(ins, 2, k);
					sqlite3_bind_text(ins, 3, sid, -1, SQLITE_STATIC);
					sqlite3_bind_null(ins, 4);
					sqlite3_bind_int(ins, 5, (int)a);
					sqlite3_bind_text(ins, 6, row.measure, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 7, unit, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 8, owner, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 9, deadline ? dl : NULL, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 10, now, -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 11, store_user(), -1, SQLITE_STATIC);
					sqlite3_bind_text(ins, 12, now, -1, SQLITE_STATIC);
					if (sqlite3_step(ins) != SQLITE_DONE) {
						sb_release(&meas);
						sb_release(&ids);
						goto sql;
					}
					sqlite3_reset(ins);
					sqlite3_bind_int64(ev, 1, sqlite3_last_insert_rowid(db));
					sqlite3_bind_text(ev, 2, now, -1, SQLITE_STATIC);
					sqlite3_bind_text(ev, 3, store_user(), -1, SQLITE_STATIC);
					if (sqlite3_step(ev) != SQLITE_DONE) {
						sb_release(&meas);
						sb_release(&ids);
						goto sql;
					}
					sqlite3_reset(ev);
				}
				(*count)++;
				if (fn && fn(ctx, &row) < 0) {
					sb_release(&meas);
					sb_release(&ids);
					zj_err(err, "%s", _("plan stopped"));
					goto out;
				}
				sb_release(&meas);
				sb_release(&ids);
			}
		}
		sqlite3_finalize(subj);
		subj = NULL;
	}

	/* Items the inspector or the rules find wanting that no rule covers:
	 * one rectification each, in the article's own words. */
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct cl_item *it = &cl->items[i];
		enum verdict v = gain_effective(g, i);
		sqlite3_stmt *q;
		struct rect_plan_row row = { 0 };
		char *measure;
		int exists = 0;

		if (it->nrules || (v != VERDICT_NONCOMPLIANT && v != VERDICT_PARTIAL))
			continue;
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM rectifications WHERE target = 'item' AND item = ?"
				       " AND status <> 'cancelled'", -1, &q, NULL) != SQLITE_OK)
			goto sql;
		sqlite3_bind_text(q, 1, it->id, -1, SQLITE_STATIC);
		exists = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_finalize(q);
		if (exists)
			continue;
		measure = sqlite3_mprintf("对照第%d条“%s”的要求整改", it->article, it->basis ? it->basis : it->question);
		if (!measure)
			goto sql;
		row.target = RT_ITEM;
		row.item = it->id;
		row.article = it->article;
		row.measure = measure;
		row.rules = "";
		row.gain = gain_if_compliant(g, it->id, 0);
		/* An item with no rules has no subjects to count: its gain
		 * is what making it 符合 adds. */
		if (apply) {
			sqlite3_bind_text(ins, 1, "item", -1, SQLITE_STATIC);
			sqlite3_bind_null(ins, 2);
			sqlite3_bind_null(ins, 3);
			sqlite3_bind_text(ins, 4, it->id, -1, SQLITE_STATIC);
			sqlite3_bind_int(ins, 5, it->article);
			sqlite3_bind_text(ins, 6, measure, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 7, unit, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 8, owner, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 9, deadline ? dl : NULL, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 10, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 11, store_user(), -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 12, now, -1, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				sqlite3_free(measure);
				goto sql;
			}
			sqlite3_reset(ins);
			sqlite3_bind_int64(ev, 1, sqlite3_last_insert_rowid(db));
			sqlite3_bind_text(ev, 2, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(ev, 3, store_user(), -1, SQLITE_STATIC);
			if (sqlite3_step(ev) != SQLITE_DONE) {
				sqlite3_free(measure);
				goto sql;
			}
			sqlite3_reset(ev);
		}
		(*count)++;
		if (fn && fn(ctx, &row) < 0) {
			sqlite3_free(measure);
			zj_err(err, "%s", _("plan stopped"));
			goto out;
		}
		sqlite3_free(measure);
	}
	rc = 0;
	goto out;
sql:
	sqlfail(db, err);
out:
	sqlite3_finalize(rules);
	sqlite3_finalize(subj);
	sqlite3_finalize(cov);
	sqlite3_finalize(ins);
	sqlite3_finalize(ev);
	for (int k = 0; k < INV_COUNT; k++)
		for (int b = 0; b < 64; b++) {
			free(byb[k][b].id);
			free(byb[k][b].measure);
		}
	gain_ctx_free(g);
	if (apply) {
		if (rc == 0 && audit_appendf(db, err, "rectify", "plan applied: %lld rectifications created", *count) < 0)
			rc = -1;
		if (rc == 0)
			rc = store_commit(db, err);
		else
			store_rollback(db);
	}
	return rc;
}

/* ---- after a score ---- */

int rectify_sync(sqlite3 *db, long long *nready, long long *nreopened, struct zj_error *err)
{
	sqlite3_stmt *st = NULL, *masks = NULL;
	long long r = 0, o = 0;
	int step, rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT id, inventory, subject_id, rule, article, status, ready FROM rectifications"
			       " WHERE target = 'finding' AND status <> 'cancelled'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT coalesce(sum(1 << bit), 0) FROM rules WHERE inventory = ?1"
			       " AND (CASE WHEN ?2 IS NULL THEN article = ?3 ELSE id = ?2 END)", -1, &masks, NULL) != SQLITE_OK)
		goto sql;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		int kind = sqlite3_column_int(st, 1), ready = sqlite3_column_int(st, 6);
		enum rect_status status = (enum rect_status)rect_status_parse((const char *)sqlite3_column_text(st, 5));
		struct subject_state ss;
		unsigned long long m = 0;
		int still;

		sqlite3_bind_int(masks, 1, kind);
		sqlite3_bind_value(masks, 2, sqlite3_column_value(st, 3));
		sqlite3_bind_int(masks, 3, sqlite3_column_int(st, 4));
		if (sqlite3_step(masks) == SQLITE_ROW)
			m = (unsigned long long)sqlite3_column_int64(masks, 0);
		sqlite3_reset(masks);
		if (subject_state(db, kind, (const char *)sqlite3_column_text(st, 2), &ss) < 0)
			goto sql;
		free(ss.name);
		still = ss.exists && (ss.violated & m);
		if (!still && !ready && status != RS_VERIFIED) {
			char *sql = sqlite3_mprintf("UPDATE rectifications SET ready = 1 WHERE id = %lld", id);

			if (!sql || store_exec(db, sql, err) < 0) {
				sqlite3_free(sql);
				goto out;
			}
			sqlite3_free(sql);
			if (event(db, id, "ready", NULL, NULL,
				  ss.exists ? "最近一次评分不再发现该问题，待验证"
					    : "该对象已不在清单中，待验证", err) < 0)
				goto out;
			r++;
		} else if (still && (ready || status == RS_VERIFIED)) {
			int reopen = status == RS_DONE || status == RS_VERIFIED;
			char *sql = sqlite3_mprintf("UPDATE rectifications SET ready = 0%s WHERE id = %lld",
						    reopen ? ", status = 'in_progress'" : "", id);

			if (!sql || store_exec(db, sql, err) < 0) {
				sqlite3_free(sql);
				goto out;
			}
			sqlite3_free(sql);
			if (event(db, id, reopen ? "reopened" : "back", reopen ? status_keys[status] : NULL,
				  reopen ? "in_progress" : NULL, "最近一次评分再次发现该问题", err) < 0)
				goto out;
			o++;
		}
	}
	if (step != SQLITE_DONE)
		goto sql;
	rc = 0;
	goto out;
sql:
	sqlfail(db, err);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(masks);
	if (nready)
		*nready = r;
	if (nreopened)
		*nreopened = o;
	return rc;
}
