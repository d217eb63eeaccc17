/*
 * narrative.h: the words of the report's body (正文), section by section.
 *
 * The report is an official document (公文, DESIGN.md "The report"): its
 * body has four sections, 一、基本情况 二、自查发现的主要问题 三、整改情况
 * 四、下一步工作打算.  Each has a text generated from the workspace's data
 * (the counts, the score, the ledger, what was received from below), which
 * is what the report prints until the inspector writes their own: the
 * inspector's text replaces the generated one whole (what they see in the
 * editor is what is printed; to keep the generated words and add to them,
 * they edit the generated text).
 *
 * When the inspector saves, the hash of the generated text of that moment
 * is kept with theirs.  If the data later reads differently (a new score,
 * a rectification done), the generated text changes and the inspector's is
 * "stale": it may quote figures that are no longer true, and a final
 * report refuses it until the inspector has looked again (saving again,
 * changed or not, confirms it).
 *
 * Paragraphs are separated by newlines.  A paragraph that starts with a
 * second-level number "（一）" has its first sentence printed as a heading
 * (楷体), as 公文 do.
 */
#ifndef ZJ_NARRATIVE_H
#define ZJ_NARRATIVE_H

#include <sqlite3.h>

#include "core/assess.h"
#include "util/err.h"

enum narrative_section { NARR_BASIC, NARR_PROBLEMS, NARR_RECTIFICATION, NARR_NEXT, NARR_COUNT };

/* The longest text the inspector may store for one section, in bytes. */
#define NARRATIVE_MAX (64 * 1024)

const char *narrative_key(enum narrative_section s);	/* "basic" */
const char *narrative_title(enum narrative_section s);	/* "基本情况" */
/* The heading as the report prints it: "一、基本情况". */
const char *narrative_heading(enum narrative_section s);
/* A key, the Chinese title (with or without its number) or 1–4; -1. */
int narrative_parse(const char *s);

struct narrative {
	char *generated;	/* the text generated from the data now */
	char *text;		/* the inspector's, or NULL: the generated one is printed */
	char *updated_at, *updated_by;	/* when the inspector's was saved */
	int stale;		/* the generated text changed since they saved */
};

/* What the report prints for the section. */
static inline const char *narrative_text(const struct narrative *n)
{
	return n->text ? n->text : n->generated;
}

/* The four sections of the workspace open on db: the generated texts (from
 * what the workspace holds now) and the inspector's.  Release with
 * narrative_release. */
int narrative_load(sqlite3 *db, const struct workspace *ws, struct narrative out[NARR_COUNT],
		   struct zj_error *err);
/* The same, given how many subjects of each inventory violate a rule
 * (subj_violated[INV_COUNT], as counted from the findings), which
 * narrative_load counts itself: a submission has just counted them, and
 * a million findings take a tenth of a second to count again. */
int narrative_load_counted(sqlite3 *db, const struct workspace *ws, const long long *subj_violated,
			   struct narrative out[NARR_COUNT], struct zj_error *err);
void narrative_release(struct narrative v[NARR_COUNT]);

/* Checks text as the inspector's words for a section: valid UTF-8, no
 * control characters but newlines and tabs, at most NARRATIVE_MAX bytes,
 * not blank. */
int narrative_check(const char *text, struct zj_error *err);

/* Stores the inspector's text for section s (in its own transaction, with
 * an audit-log entry), recording the hash of the section's generated text
 * now.  A text equal to the generated one, or NULL, removes the inspector's
 * text: the section is the generated one again.  *changed (may be NULL) is
 * set to what was done: 0 nothing changed, 1 stored, 2 removed. */
int narrative_save(sqlite3 *db, const struct workspace *ws, enum narrative_section s, const char *text,
		   int *changed, struct zj_error *err);

#endif
