#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/similar.h"

struct hit {
	long long rowid, cluster, peer;
	int reasons;
	size_t size;
};

struct sink {
	struct hit hits[64];
	size_t n, calls;
	int fail_at;	/* return -1 on this call (1-based); 0 never */
};

static int collect(void *ctx, long long rowid, long long cluster,
		   long long peer, int reasons, size_t size)
{
	struct sink *k = ctx;

	k->calls++;
	if (k->fail_at && (int)k->calls == k->fail_at)
		return -1;
	if (k->n < sizeof(k->hits) / sizeof(k->hits[0])) {
		k->hits[k->n].rowid = rowid;
		k->hits[k->n].cluster = cluster;
		k->hits[k->n].peer = peer;
		k->hits[k->n].reasons = reasons;
		k->hits[k->n].size = size;
		k->n++;
	}
	return 0;
}

static int count_only(void *ctx, long long rowid, long long cluster,
		      long long peer, int reasons, size_t size)
{
	(void)rowid, (void)cluster, (void)peer, (void)reasons, (void)size;
	++*(size_t *)ctx;
	return 0;
}

static const struct hit *find(const struct sink *k, long long rowid)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (k->hits[i].rowid == rowid)
			return &k->hits[i];
	return NULL;
}

static struct similar *make(size_t max_postings)
{
	struct similar_opts o = { 0.75, 0.8, max_postings };
	struct zj_error err = { "" };
	struct similar *s = similar_new(&o, &err);

	assert_non_null(s);
	return s;
}

static void add(struct similar *s, long long rowid, const char *name,
		const char *tags)
{
	struct zj_error err = { "" };

	assert_int_equal(similar_add(s, rowid, name, tags, &err), 0);
}

static void flush(struct similar *s, const char *unit, struct sink *k)
{
	struct zj_error err = { "" };

	memset(k, 0, sizeof(*k));
	assert_int_equal(similar_flush(s, unit, collect, k, &err), 0);
}

static void assert_in(const struct sink *k, long long rowid,
		      long long cluster, size_t size)
{
	const struct hit *h = find(k, rowid);

	assert_non_null(h);
	assert_int_equal(h->cluster, cluster);
	assert_int_equal(h->size, size);
}

static void test_name_suffixes_cluster(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	add(s, 1, "智慧社区", NULL);
	add(s, 2, "智慧社区APP", NULL);
	add(s, 3, "智慧社区小程序", NULL);
	add(s, 4, "社区团购", NULL);
	add(s, 5, "社区医疗", NULL);
	add(s, 6, "《智慧社区》（ＡＰＰ）", "");
	flush(s, "某某区", &k);
	assert_int_equal(k.n, 4);
	assert_in(&k, 1, 1, 4);
	assert_in(&k, 2, 1, 4);
	assert_in(&k, 3, 1, 4);
	assert_in(&k, 6, 1, 4);
	assert_int_equal(find(&k, 2)->reasons, SIMILAR_NAME);
	assert_int_equal(find(&k, 2)->peer, 1);
	assert_int_equal(find(&k, 1)->peer, 2);
	assert_null(find(&k, 4));
	assert_null(find(&k, 5));
	similar_free(s);
}

static void test_unit_name_stripped(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	add(s, 10, "XX县政务服务", NULL);
	add(s, 11, "XX县政务服务平台", NULL);
	flush(s, "XX县", &k);
	assert_int_equal(k.n, 2);
	assert_in(&k, 10, 10, 2);
	assert_in(&k, 11, 10, 2);

	/* only the unit name makes these two the same app */
	add(s, 20, "XX县社区通", NULL);
	add(s, 21, "社区通", NULL);
	flush(s, "XX县", &k);
	assert_int_equal(k.n, 2);
	assert_in(&k, 20, 20, 2);
	add(s, 20, "XX县社区通", NULL);
	add(s, 21, "社区通", NULL);
	flush(s, NULL, &k);
	assert_int_equal(k.n, 0);
	add(s, 20, "XX县社区通", NULL);
	add(s, 21, "社区通", NULL);
	flush(s, "YY县", &k);
	assert_int_equal(k.n, 0);
	similar_free(s);
}

static void test_short_names(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	/* 信访 vs 信访通: Dice 0.67 and 信访 is too short to be "contained" */
	add(s, 1, "掌上信访", NULL);
	add(s, 2, "信访通", NULL);
	flush(s, NULL, &k);
	assert_int_equal(k.n, 0);
	/* but 掌上 is a generic prefix: 掌上信访 is 信访 */
	add(s, 1, "掌上信访", NULL);
	add(s, 2, "信访", NULL);
	add(s, 3, "i信访", NULL);
	flush(s, NULL, &k);
	assert_int_equal(k.n, 3);
	assert_in(&k, 3, 1, 3);
	/* an ASCII "i" before ASCII is part of the word */
	add(s, 4, "ixy", NULL);
	add(s, 5, "xy", NULL);
	flush(s, NULL, &k);
	assert_int_equal(k.n, 0);
	similar_free(s);
}

static void test_dissimilar_names(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	add(s, 1, "党建学习", NULL);
	add(s, 2, "党建考核", NULL);
	add(s, 3, "社区团购", NULL);
	add(s, 4, "社区医疗", NULL);
	add(s, 5, "", NULL);
	add(s, 6, "（）", NULL);
	add(s, 7, NULL, NULL);
	flush(s, NULL, &k);
	assert_int_equal(k.n, 0);
	similar_free(s);
}

static void test_containment(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	add(s, 1, "公积金", NULL);
	add(s, 2, "公积金查询", NULL);	/* contained, 2 longer */
	add(s, 3, "公积金贷款计算", NULL);	/* 4 longer: no */
	add(s, 4, "社保", NULL);
	add(s, 5, "社保卡", NULL);		/* 社保 is under 3 characters */
	flush(s, NULL, &k);
	assert_int_equal(k.n, 2);
	assert_in(&k, 1, 1, 2);
	assert_in(&k, 2, 1, 2);
	assert_int_equal(find(&k, 2)->reasons, SIMILAR_NAME);
	similar_free(s);
}

static void test_tags(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	/* 3 shared of 4: Jaccard 0.6 and 0.75, under 0.8 */
	add(s, 1, "城市管理", "办事;查询;缴费;预约");
	add(s, 2, "医保缴费", "办事;查询;缴费;投诉");
	add(s, 3, "公交出行", "办事;查询;缴费");
	/* single tags never link */
	add(s, 4, "天气预报", "气象");
	add(s, 5, "空气质量", "气象");
	flush(s, NULL, &k);
	assert_int_equal(k.n, 0);

	/* identical sets, however written */
	add(s, 1, "城市管理", "办事;查询;缴费;预约");
	add(s, 2, "医保缴费", " 预约 ；缴费、查询,办事;办事");
	add(s, 3, "公交出行", "办事，查询;缴费;　预约　");
	add(s, 4, "天气预报", "ＡＢＣ;def");
	add(s, 5, "空气质量", "abc;DEF");
	flush(s, NULL, &k);
	assert_int_equal(k.n, 5);
	assert_in(&k, 3, 1, 3);
	assert_int_equal(find(&k, 3)->reasons, SIMILAR_TAGS);
	assert_int_equal(find(&k, 3)->peer, 1);
	assert_in(&k, 5, 4, 2);
	similar_free(s);
}

static void test_both_reasons(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	add(s, 7, "智慧养老", "养老;助餐");
	add(s, 8, "智慧养老APP", "助餐;养老");
	add(s, 9, "养老", "养老");
	flush(s, NULL, &k);
	assert_int_equal(k.n, 3);
	assert_int_equal(find(&k, 7)->peer, 8);
	assert_int_equal(find(&k, 7)->reasons, SIMILAR_NAME | SIMILAR_TAGS);
	assert_int_equal(find(&k, 9)->peer, 7);
	assert_int_equal(find(&k, 9)->reasons, SIMILAR_NAME);
	similar_free(s);
}

static void test_transitive(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	/* A-B 5/6, B-C 6/7, A-C 5/7: only two links, one cluster */
	add(s, 30, "城市管理", "a;b;c;d;e");
	add(s, 10, "医保缴费", "a;b;c;d;e;f");
	add(s, 20, "公交查询", "a;b;c;d;e;f;g");
	add(s, 40, "不动产登记", "x;y");
	flush(s, NULL, &k);
	assert_int_equal(k.n, 3);
	assert_int_equal(k.hits[0].rowid, 10);	/* ordered by rowid */
	assert_int_equal(k.hits[1].rowid, 20);
	assert_int_equal(k.hits[2].rowid, 30);
	assert_in(&k, 10, 10, 3);
	assert_in(&k, 20, 10, 3);
	assert_in(&k, 30, 10, 3);
	assert_int_equal(find(&k, 30)->peer, 10);
	assert_int_equal(find(&k, 20)->peer, 10);
	assert_int_equal(find(&k, 10)->peer, 20);
	similar_free(s);
}

static void test_single_app(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	add(s, 1, "智慧社区", "a;b");
	flush(s, "某区", &k);
	assert_int_equal(k.calls, 0);
	flush(s, "某区", &k);
	assert_int_equal(k.calls, 0);
	similar_free(s);
}

static void test_units_separate(void **state)
{
	struct similar *s = make(0);
	struct sink k;

	(void)state;
	add(s, 1, "智慧社区", "a;b");
	add(s, 2, "医保缴费", NULL);
	flush(s, "甲区", &k);
	assert_int_equal(k.n, 0);
	add(s, 3, "智慧社区APP", "a;b");
	add(s, 4, "公交查询", NULL);
	flush(s, "乙区", &k);
	assert_int_equal(k.n, 0);
	add(s, 5, "智慧社区", NULL);
	add(s, 6, "智慧社区APP", NULL);
	flush(s, "丙区", &k);
	assert_int_equal(k.n, 2);
	assert_in(&k, 6, 5, 2);
	similar_free(s);
}

static void test_common_bigram(void **state)
{
	static const char *const filler[] = {
		"社区甲乙", "社区丙丁", "社区戊己", "社区庚辛", "社区壬癸",
		"社区子丑", "社区寅卯", "社区辰巳", "社区午未", "社区申酉",
	};
	struct similar *s = make(3);
	struct sink k;
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++)
		add(s, 100 + (long long)i, filler[i], NULL);
	/* share 社区 (too common to index) and 3 rare bigrams of 5: Dice
	 * counts all 4, 0.8 */
	add(s, 1, "社区网格管理", NULL);
	add(s, 2, "社区网格管控", NULL);
	flush(s, NULL, &k);
	assert_int_equal(k.n, 2);
	assert_in(&k, 1, 1, 2);
	assert_in(&k, 2, 1, 2);
	similar_free(s);
}

static void test_common_only_missed(void **state)
{
	struct similar *s;
	struct sink k;
	size_t limit;

	(void)state;
	/* 甲乙丙丁戊 and 甲乙丙丁己 (Dice 0.75) share only 甲乙 乙丙 丙丁, which
	 * the two fillers make too common for a limit of 2: not found */
	for (limit = 2; limit <= 200; limit += 198) {
		s = make(limit);
		add(s, 1, "甲乙丙丁戊", NULL);
		add(s, 2, "甲乙丙丁己", NULL);
		add(s, 3, "甲乙丙丁子丑寅卯辰巳", NULL);
		add(s, 4, "甲乙丙丁午未申酉戌亥", NULL);
		flush(s, NULL, &k);
		assert_int_equal(k.n, limit == 2 ? 0 : 2);
		similar_free(s);
	}
}

static void test_identical_beyond_postings(void **state)
{
	struct similar *s = make(2);
	struct sink k;
	long long i;

	(void)state;
	for (i = 9; i >= 5; i--)
		add(s, i, "智慧社区", NULL);
	for (i = 20; i < 25; i++)
		add(s, i, "路灯报修", "a;b;c");
	flush(s, NULL, &k);
	assert_int_equal(k.n, 10);
	assert_in(&k, 9, 5, 5);
	assert_int_equal(find(&k, 9)->peer, 5);
	assert_int_equal(find(&k, 5)->peer, 6);
	assert_in(&k, 24, 20, 5);
	assert_int_equal(find(&k, 24)->reasons, SIMILAR_NAME | SIMILAR_TAGS);
	similar_free(s);
}

static void test_emit_abort(void **state)
{
	struct similar *s = make(0);
	struct zj_error err = { "untouched" };
	struct sink k;

	(void)state;
	memset(&k, 0, sizeof(k));
	k.fail_at = 1;
	add(s, 1, "智慧社区", NULL);
	add(s, 2, "智慧社区APP", NULL);
	add(s, 3, "智慧社区小程序", NULL);
	assert_int_equal(similar_flush(s, NULL, collect, &k, &err), -1);
	assert_int_equal(k.calls, 1);
	assert_string_equal(err.msg, "untouched");
	/* the unit is gone, the pass still works */
	add(s, 4, "公交查询", NULL);
	flush(s, NULL, &k);
	assert_int_equal(k.calls, 0);
	similar_free(s);
}

static void test_bad_options(void **state)
{
	struct similar_opts o = { 0, 0.8, 0 };
	struct zj_error err = { "" };
	struct similar *s;

	(void)state;
	assert_null(similar_new(&o, &err));
	assert_non_null(strstr(err.msg, "threshold"));
	o.name_threshold = 0.75;
	o.tag_threshold = 1.5;
	assert_null(similar_new(&o, &err));
	s = similar_new(NULL, &err);
	assert_non_null(s);
	similar_free(s);
	similar_free(NULL);
}

static void put_utf8(char *p, uint32_t c)
{
	p[0] = (char)(0xE0 | c >> 12);
	p[1] = (char)(0x80 | (c >> 6 & 0x3F));
	p[2] = (char)(0x80 | (c & 0x3F));
}

static void test_large_unit(void **state)
{
	struct similar *s = make(0);
	struct zj_error err = { "" };
	uint64_t x = 88172645463325252ULL;
	char name[64], tags[64];
	size_t i, j, len, emitted = 0;
	clock_t t0 = clock();

	(void)state;
	for (i = 0; i < 100000; i++) {
		len = 4 + i % 5;
		for (j = 0; j < len; j++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			put_utf8(name + 3 * j, 0x4E00 + (uint32_t)(x % 3000));
		}
		name[3 * len] = '\0';
		snprintf(tags, sizeof(tags), "编号%zu;查询", i);
		add(s, (long long)i + 1, name, i % 3 ? tags : NULL);
	}
	assert_int_equal(similar_flush(s, "某市", count_only, &emitted, &err), 0);
	assert_true(emitted < 1000);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 60);
	similar_free(s);
}

/* Across units: the tag set as a key (order, case, spaces and separators
 * set aside) and the place names of the host unit stripped from a name. */
static void test_across_helpers(void **state)
{
	char a[256], b[256], buf[256];

	(void)state;
	assert_true(similar_tagset_key("预约；办事、 查询 ,办事", a, sizeof(a)) > 0);
	assert_true(similar_tagset_key("查询;预约;办事", b, sizeof(b)) > 0);
	assert_string_equal(a, b);
	assert_true(similar_tagset_key("APP;查询", a, sizeof(a)) > 0);
	assert_true(similar_tagset_key("查询;app", b, sizeof(b)) > 0);
	assert_string_equal(a, b);
	assert_int_equal(similar_tagset_key("", a, sizeof(a)), 0);
	assert_int_equal(similar_tagset_key(" ; ；", a, sizeof(a)), 0);
	assert_int_equal(similar_tagset_key(NULL, a, sizeof(a)), 0);
	assert_string_equal(similar_strip_places("和阳县掌上渡口管理", "和阳县交通运输局", buf, sizeof(buf)), "掌上渡口管理");
	assert_string_equal(similar_strip_places("安林渡口管理", "安林县交通运输局", buf, sizeof(buf)), "渡口管理");
	assert_string_equal(similar_strip_places("河西市青禾县社区通", "河西市青禾县民政局", buf, sizeof(buf)), "社区通");
	/* 市场 is no place: a suffix needs two characters before it. */
	assert_string_equal(similar_strip_places("市场监管通", "市场监督管理局", buf, sizeof(buf)), "市场监管通");
	/* Nothing worth comparing would remain: the name stays. */
	assert_string_equal(similar_strip_places("和阳县", "和阳县民政局", buf, sizeof(buf)), "和阳县");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_suffixes_cluster),
		cmocka_unit_test(test_unit_name_stripped),
		cmocka_unit_test(test_short_names),
		cmocka_unit_test(test_dissimilar_names),
		cmocka_unit_test(test_containment),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_both_reasons),
		cmocka_unit_test(test_transitive),
		cmocka_unit_test(test_single_app),
		cmocka_unit_test(test_units_separate),
		cmocka_unit_test(test_common_bigram),
		cmocka_unit_test(test_common_only_missed),
		cmocka_unit_test(test_identical_beyond_postings),
		cmocka_unit_test(test_emit_abort),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_large_unit),
		cmocka_unit_test(test_across_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
