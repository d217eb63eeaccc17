/*
 * similar.h: duplicate government apps within one host unit (article 5).
 *
 * Article 5 asks for apps "功能相近、重复" to be merged.  This pass finds
 * them: two apps of the same host unit are linked when their names are
 * similar or their function tags are similar, and linked apps form clusters
 * (union-find, so links are transitive).  Apps of different units are never
 * compared.
 *
 * The caller streams apps ordered by host unit: similar_add() for each app of
 * the current unit, similar_flush() at each change of unit (and once at the
 * end).  Work per unit is near-linear: candidate pairs come from inverted
 * indexes (name bigram -> apps, tag -> apps) and postings longer than
 * max_postings are not used to generate candidates.  Memory is bounded by the
 * largest unit; it is kept and reused from one unit to the next.
 *
 * Names.  Before comparison a name is normalized: fullwidth ASCII folded to
 * ASCII, ASCII lowercased, spaces and ASCII/CJK punctuation and decorative
 * symbols dropped; every occurrence of the (equally normalized) unit name
 * removed; then, repeatedly, generic words removed from the end (app 客户端
 * 小程序 快应用 平台 系统 服务 政务 掌上 移动 手机版 官方) and from the start
 * (掌上 移动 智慧, and "i" when a non-ASCII character follows).  A removal is
 * made only if at least 2 characters remain.  Invalid UTF-8 bytes count as
 * U+FFFD.  The bigrams of a name are its consecutive code-point pairs, as a
 * set; a 1-character name has one unigram; an empty name has none and is
 * never name-similar.  Two names are similar when
 *   - Dice = 2|A∩B| / (|A| + |B|) >= name_threshold, or
 *   - one normalized name of >= 3 characters occurs in the other and their
 *     lengths differ by at most 2 characters, or
 *   - the normalized names are equal.
 * So 智慧社区 / 智慧社区APP / 智慧社区小程序 all become 社区 and cluster; in unit
 * XX县, XX县政务服务 and XX县政务服务平台 both become 政务 and cluster; 掌上信访
 * (信访) and 信访通 do not (Dice 0.67, and 信访 is too short to count as
 * contained); 社区团购 / 社区医疗 and 党建学习 / 党建考核 do not.
 *
 * Tags.  A tag list is split at ';' '；' ',' '，' '、'; each tag is trimmed of
 * white space (including U+3000 and U+00A0), fullwidth ASCII is folded and
 * ASCII lowercased; empty tags are dropped and duplicates counted once.  Two
 * apps with at least 2 tags each have similar function when
 * Jaccard = |A∩B| / |A∪B| >= tag_threshold.
 *
 * Exactness.  Every pair compared is compared on its full bigram and tag
 * sets, too-common ones included.  Similar names are always found when the
 * two names share a bigram held by at most max_postings apps of the unit or
 * are identical once normalized; similar tags, when the two apps share a tag
 * held by at most max_postings apps or have identical tag sets.  Similar
 * pairs that share only too-common bigrams or tags may be missed: that is
 * the price of the near-linear bound.
 */
#ifndef ZJ_SIMILAR_H
#define ZJ_SIMILAR_H

#include <stddef.h>

#include "util/err.h"

struct similar;

struct similar_opts {
	/* Dice of name bigram sets at or above which names are similar,
	 * in (0, 1]; e.g. 0.75. */
	double name_threshold;
	/* Jaccard of tag sets at or above which two apps with >= 2 tags each
	 * have similar function, in (0, 1]; e.g. 0.8. */
	double tag_threshold;
	/* A bigram or tag held by more than this many apps of a unit does not
	 * generate candidate pairs; 0 means the default, 200. */
	size_t max_postings;
};

/* Returns a new pass that the caller frees with similar_free(), or NULL with
 * err filled (bad options, out of memory).  o may be NULL for the defaults
 * 0.75 / 0.8 / 200; it is copied. */
struct similar *similar_new(const struct similar_opts *o, struct zj_error *err);

/* Adds one app of the current unit.  name and tags are copied; name NULL is
 * the empty name, tags NULL or "" means no tags.  rowid identifies the app in
 * what similar_flush() emits and should be unique within the unit.
 * Returns 0, or -1 with err filled (out of memory; the app is not added). */
int similar_add(struct similar *s, long long rowid, const char *name,
		const char *tags, struct zj_error *err);

enum similar_reason { SIMILAR_NAME = 1, SIMILAR_TAGS = 2 };

/*
 * Called once per app that belongs to a cluster of size >= 2:
 *   rowid         the app;
 *   cluster       the smallest rowid in its cluster (the cluster's id);
 *   peer          the other member most similar to this app: highest score,
 *                 where a pair's score is the larger of its name Dice and
 *                 tag Jaccard among the measures that linked it; ties go
 *                 to the pair linked by both, then to the smallest rowid;
 *   reasons       SIMILAR_NAME and/or SIMILAR_TAGS: how this app is linked
 *                 to peer;
 *   cluster_size  the number of apps in the cluster.
 * Apps are emitted ordered by cluster id, then by rowid.  Returning non-zero
 * stops the flush.
 */
typedef int (*similar_emit_fn)(void *ctx, long long rowid, long long cluster,
			       long long peer, int reasons, size_t cluster_size);

/*
 * Clusters the apps added since the last flush, calls emit (which may be NULL
 * to discard the result) for every clustered app, then clears the unit so the
 * next similar_add() starts a new unit.  unit_name (may be NULL) is removed
 * from app names before comparison; it is not kept.
 * Returns 0; -1 with err filled when out of memory; -1 with err untouched
 * when emit returned non-zero, so a callback can leave its own message in an
 * error it reaches through ctx.  The unit is cleared in every case.
 */
int similar_flush(struct similar *s, const char *unit_name,
		  similar_emit_fn emit, void *ctx, struct zj_error *err);

/* Frees s and everything it holds; s may be NULL. */
void similar_free(struct similar *s);

/*
 * Across units (统建共用/同质化, above the unit level).  Two apps of
 * different host units are near-duplicates when their function tags are the
 * same set and their names are similar once place names are stripped.  The
 * caller sorts apps by similar_tagset_key() (equal keys are equal tag sets,
 * as normalized above), feeds each run of one key to similar_add() with the
 * name from similar_strip_places() and no tags, flushes with no unit name,
 * and keeps the clusters that span two units or more.
 */

/* The tag set of tags as a key: the normalized distinct tags, sorted
 * bytewise, joined by ';', into out (NUL-terminated).  Returns its length;
 * 0 when there is no tag (or out is too small: such an app has no key). */
size_t similar_tagset_key(const char *tags, char *out, size_t size);

/* name without the place names its host unit starts with: the leading
 * 省/自治区/市/州/盟/地区/县/区/旗/乡/镇 names of host_unit (up to three,
 * each of 2 to 6 characters before its suffix; "青禾县", "河西市青禾县"),
 * every occurrence of each, and of its stem (the name less its suffix, when
 * 2 characters or more: "青禾").  Returns name itself when nothing is
 * stripped or less than 2 characters would remain, else buf. */
const char *similar_strip_places(const char *name, const char *host_unit, char *buf, size_t size);

#endif
